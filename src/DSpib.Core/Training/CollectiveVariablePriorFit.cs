using DSpib.Diffusion;
using DSpib.Internal;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// Fits the collective-variable prior p(mu | T), the temperature-conditioned distribution of the encoder means, once
/// the encoder is final. The joint prior learns the latent samples of training, mu + sigma eps, whose distribution is
/// the means' blurred by the encoder's noise; a user's collective variable is mu alone (what <c>Encode</c> returns,
/// what a bias or PLUMED sees). This second score network has the joint prior's architecture and SDE, starts from its
/// weights (the two distributions differ by the noise only, so it starts close), and is trained by denoising score
/// matching on the fixed means of the training pairs at their temperatures, with their weights.
/// </summary>
/// <remarks>
/// Each epoch is scored on the test pairs' means with the same noise every time, so epochs compare without the
/// loss's sampling noise; the best epoch's weights are kept, and fitting stops after <c>patience</c> epochs without a
/// better one. A diverged step or cancellation ends fitting with the best weights so far.
/// </remarks>
internal static class CollectiveVariablePriorFit
{
    /// <summary>Rows encoded or scored per native call.</summary>
    private const int EvaluationBatch = 8192;

    /// <summary>
    /// Trains a copy of <paramref name="network"/>'s diffusion prior on the encoder means and installs it as the
    /// network's collective-variable prior.
    /// </summary>
    /// <returns>Epochs trained, the test losses of the starting and the kept weights, and the time it took.</returns>
    public static CollectiveVariablePriorFitReport Fit(
        ModelNetwork network, DiffusionPriorOptions diffusion, TrainingTensors data, IReadOnlyList<double> pairTemperatures, TrainingOptions options, Generator generator, ILogger logger, CancellationToken cancellationToken)
    {
        var joint = network.Diffusion ?? throw new InvalidOperationException("The collective-variable prior needs a model with a diffusion prior.");
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var prior = NetworkFactory.DiffusionPrior(diffusion, network.Encoder.LatentDimension, joint.ReferenceTemperature, network.Backend);
        try
        {
            CopyWeights(joint, prior);
            var (epochs, initial, best) = Train(prior, network, data, pairTemperatures, options, generator, logger, cancellationToken);
            network.ReplaceCollectiveVariableDiffusion(prior);
            return new CollectiveVariablePriorFitReport(epochs, initial, best, stopwatch.Elapsed);
        }
        catch
        {
            prior.Dispose();
            throw;
        }
    }

    private static (int Epochs, double InitialTestLoss, double BestTestLoss) Train(
        DiffusionPriorNetwork prior, ModelNetwork network, TrainingTensors data, IReadOnlyList<double> pairTemperatures, TrainingOptions options, Generator generator, ILogger logger, CancellationToken cancellationToken)
    {
        using var scope = NewDisposeScope();
        var means = EncoderMeans(network, data);
        var temperatures = BatchTemperatures.Of(prior, pairTemperatures, means.dtype, means.device);
        var parameters = new FlatParameters(prior.parameters());
        using var optimizer = new FlatAdam(prior.parameters(), options.LearningRate);

        // The test pairs are scored with one fixed draw of times and noise, so that epochs differ only by the weights.
        var testSeed = (ulong)options.Seed + 1;
        var best = TestLoss(prior, means, data, temperatures, options, testSeed);
        var initial = best;
        var bestWeights = parameters.Values();
        var epochs = 0;
        var sinceBest = 0;
        while (epochs < options.CollectiveVariablePriorEpochs && sinceBest < options.CollectiveVariablePriorPatience)
        {
            if (!TrainEpoch(prior, optimizer, means, data, temperatures, options, generator, cancellationToken))
            {
                break;
            }

            epochs++;
            var loss = TestLoss(prior, means, data, temperatures, options, testSeed);
            TrainingLog.CollectiveVariablePriorEpoch(logger, epochs, loss);
            if (double.IsNaN(best) || loss < best)
            {
                best = loss;
                sinceBest = 0;
                bestWeights.Dispose();
                bestWeights = parameters.Values();
            }
            else
            {
                sinceBest++;
            }
        }

        parameters.Assign(bestWeights);
        prior.train(false);
        TrainingLog.CollectiveVariablePriorFitted(logger, epochs, initial, best);
        return (epochs, initial, best);
    }

    /// <summary>One pass over the training pairs' means in random order.</summary>
    /// <returns>Whether the epoch finished; not when cancelled or at a step whose loss or gradient was not finite (that step is not applied).</returns>
    private static bool TrainEpoch(DiffusionPriorNetwork prior, FlatAdam optimizer, Tensor means, TrainingTensors data, BatchTemperatures temperatures, TrainingOptions options, Generator generator, CancellationToken cancellationToken)
    {
        prior.train(true);
        using var order = randperm(data.Train.shape[0], generator: generator, device: means.device);
        using var shuffled = data.Train.index_select(0, order);
        var count = shuffled.shape[0];
        for (long start = 0; start < count; start += options.BatchSize)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            using var scope = NewDisposeScope();
            var pairs = shuffled.narrow(0, start, Math.Min(options.BatchSize, count - start));
            var loss = WeightedLoss(prior, means, data, temperatures, pairs, options, generator);
            optimizer.ZeroGrad();
            loss.backward();
            if (!optimizer.TryStep(loss))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The weighted denoising loss over the test pairs (NaN when there are none), with a fixed draw of noise.</summary>
    private static double TestLoss(DiffusionPriorNetwork prior, Tensor means, TrainingTensors data, BatchTemperatures temperatures, TrainingOptions options, ulong seed)
    {
        var count = data.Test.shape[0];
        if (count == 0)
        {
            return double.NaN;
        }

        prior.train(false);
        using var noGrad = no_grad();
        using var generator = new Generator(seed, means.device);
        var (sum, weights) = (0.0, 0.0);
        for (long start = 0; start < count; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            var pairs = data.Test.narrow(0, start, Math.Min(EvaluationBatch, count - start));
            var weight = data.Weight.index_select(0, pairs);
            using var batchTemperatures = temperatures.Select(pairs);
            var perPair = prior.DenoisingLoss(means.index_select(0, pairs), batchTemperatures, options.NoiseDraws, generator, options.Weighting);
            sum += (weight * perPair).sum().to(ScalarType.Float64).item<double>();
            weights += weight.sum().to(ScalarType.Float64).item<double>();
        }

        return sum / weights;
    }

    private static Tensor WeightedLoss(DiffusionPriorNetwork prior, Tensor means, TrainingTensors data, BatchTemperatures temperatures, Tensor pairs, TrainingOptions options, Generator generator)
    {
        var weight = data.Weight.index_select(0, pairs);
        using var batchTemperatures = temperatures.Select(pairs);
        var perPair = prior.DenoisingLoss(means.index_select(0, pairs), batchTemperatures, options.NoiseDraws, generator, options.Weighting);
        return (weight * perPair).sum() / weight.sum();
    }

    /// <summary>The encoder mean of every pair's input frame [pairs, D], fixed (no gradient).</summary>
    private static Tensor EncoderMeans(ModelNetwork network, TrainingTensors data)
    {
        network.SetTraining(false);
        using var noGrad = no_grad();
        var count = data.InputFrame.shape[0];
        var pieces = new List<Tensor>();
        for (long start = 0; start < count; start += EvaluationBatch)
        {
            var frames = data.Frames.index_select(0, data.InputFrame.narrow(0, start, Math.Min(EvaluationBatch, count - start)));
            pieces.Add(network.Encoder.EncodeMean(frames));
        }

        return cat(pieces, 0);
    }

    /// <summary>Copies every parameter and buffer (the state dictionaries hold the modules' own tensors, which stay theirs).</summary>
    private static void CopyWeights(DiffusionPriorNetwork from, DiffusionPriorNetwork to)
    {
        using var noGrad = no_grad();
        var target = to.state_dict();
        foreach (var (name, tensor) in from.state_dict())
        {
            target[name].copy_(tensor);
        }
    }
}
