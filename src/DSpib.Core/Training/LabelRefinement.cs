using System.Globalization;
using DSpib.Internal;
using DSpib.Spib;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// SPIB's label refinement (docs/concepts.md): relabel every pair by the decoder's most probable state at the
/// encoded future frame, drop states left empty, shrink the decoder and prior to the survivors, and reset the
/// pseudo-inputs to the frames nearest each state's latent centroid.
/// </summary>
internal static class LabelRefinement
{
    /// <summary>Rows per native call when encoding all pairs.</summary>
    private const int Chunk = 65_536;

    public readonly record struct Outcome(int StatesBefore, int StatesAfter, double ChangedFraction);

    /// <summary>Relabels and shrinks; resets the prior too unless this is the final relabel.</summary>
    /// <exception cref="InvalidOperationException">Fewer than two states would survive; nothing is changed then.</exception>
    public static Outcome Refine(ModelNetwork network, TrainingTensors data, bool resetPrior, Generator initGenerator)
    {
        var statesBefore = network.StateCount;
        int[] keep;
        double changedFraction;
        Tensor newLabels;
        Tensor? pseudoInputs = null;

        // Tensors made in a dispose scope die with it, so only plain tensors are computed here; the new decoder and
        // prior modules are built after the scope has closed.
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var futureMeans = EncodeInChunks(network, data.Frames, data.FutureFrame);
            var relabelled = PredictInChunks(network, futureMeans);
            var counts = relabelled.bincount(data.Weight, statesBefore);
            var survivors = counts.GreaterThan(0).nonzero().squeeze(1);
            keep = survivors.cpu().data<long>().Select(k => (int)k).ToArray();
            if (keep.Length < 2)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Label refinement left {keep.Length} state: the decoder now predicts the same state for every frame, so the representation has collapsed. Lower beta (WithBeta), shorten the lag (WithLag), or start from more or better-separated initial states."));
            }

            // Old state index -> new compact index (-1 for dropped states, which no pair carries).
            var remap = TensorArithmetic.Filled([statesBefore], -1L, ScalarType.Int64, survivors.device);
            remap.index_put_(TensorArithmetic.Indices(keep.Length, survivors.device), survivors);
            newLabels = remap.index_select(0, relabelled).MoveToOuterDisposeScope();
            var changed = (data.Weight * ne(relabelled, data.Labels).to(data.Weight.dtype)).sum() / data.Weight.sum();
            changedFraction = changed.to(ScalarType.Float64).item<double>();
            if (resetPrior)
            {
                pseudoInputs = RepresentativeFrames(futureMeans, newLabels, data, keep.Length).MoveToOuterDisposeScope();
            }
        }

        var decoder = network.Decoder.Shrink(keep, initGenerator);
        decoder.to(network.Backend.Device);
        network.ReplaceDecoder(decoder);
        data.ReplaceLabels(newLabels);
        if (pseudoInputs is not null)
        {
            network.ReplacePrior(new VampPriorNetwork(pseudoInputs));
        }

        return new Outcome(statesBefore, keep.Length, changedFraction);
    }

    /// <summary>
    /// For each state, the training pair's future frame whose latent mean is nearest to the state's weighted latent
    /// centroid (over training pairs; over all pairs for a state no training pair carries).
    /// </summary>
    public static Tensor RepresentativeFrames(Tensor futureMeans, Tensor labels, TrainingTensors data, int stateCount)
    {
        using var scope = NewDisposeScope();
        var representatives = new long[stateCount];
        var trainRepresentatives = NearestToCentroids(futureMeans, labels, data.Weight, data.Train, stateCount);
        var allRepresentatives = NearestToCentroids(futureMeans, labels, data.Weight, null, stateCount);
        for (var k = 0; k < stateCount; k++)
        {
            representatives[k] = trainRepresentatives[k] >= 0 ? trainRepresentatives[k] : allRepresentatives[k];
        }

        var pairIndex = tensor(representatives, device: data.Frames.device);
        var frameIndex = data.FutureFrame.index_select(0, pairIndex);
        return data.Frames.index_select(0, frameIndex).MoveToOuterDisposeScope();
    }

    /// <summary>Latent means of the standardised <paramref name="frames"/> at <paramref name="frameIndex"/>, [count, D].</summary>
    public static Tensor EncodeInChunks(ModelNetwork network, Tensor frames, Tensor frameIndex)
    {
        var count = frameIndex.shape[0];
        var parts = new List<Tensor>();
        for (long start = 0; start < count; start += Chunk)
        {
            var index = frameIndex.narrow(0, start, Math.Min(Chunk, count - start));
            parts.Add(network.Encoder.EncodeMean(frames.index_select(0, index)));
        }

        return cat(parts, 0);
    }

    private static Tensor PredictInChunks(ModelNetwork network, Tensor means)
    {
        var count = means.shape[0];
        var parts = new List<Tensor>();
        for (long start = 0; start < count; start += Chunk)
        {
            parts.Add(network.StatesOf(means.narrow(0, start, Math.Min(Chunk, count - start))));
        }

        return cat(parts, 0);
    }

    /// <returns>Per state, the pair index nearest its centroid among <paramref name="subset"/>; -1 for a state absent there.</returns>
    private static long[] NearestToCentroids(Tensor means, Tensor labels, Tensor weights, Tensor? subset, int stateCount)
    {
        using var scope = NewDisposeScope();
        var candidates = subset ?? TensorArithmetic.Indices(means.shape[0], means.device);
        var candidateMeans = means.index_select(0, candidates);
        var candidateLabels = labels.index_select(0, candidates);
        var candidateWeights = weights.index_select(0, candidates);
        var weightSums = zeros(stateCount, dtype: means.dtype, device: means.device).index_add_(0, candidateLabels, candidateWeights, TensorArithmetic.One);
        var sums = zeros(stateCount, means.shape[1], dtype: means.dtype, device: means.device)
            .index_add_(0, candidateLabels, candidateMeans * candidateWeights.unsqueeze(1), TensorArithmetic.One);
        var centroids = sums / weightSums.AtLeast(1e-300).unsqueeze(1);

        var bestDistance = TensorArithmetic.Filled([stateCount], double.PositiveInfinity, means.dtype, means.device);
        var bestIndex = TensorArithmetic.Filled([stateCount], -1L, ScalarType.Int64, means.device);
        var count = candidates.shape[0];
        for (long start = 0; start < count; start += Chunk)
        {
            using var chunkScope = NewDisposeScope();
            var length = Math.Min(Chunk, count - start);
            var distances = cdist(candidateMeans.narrow(0, start, length), centroids); // [chunk, K]
            var (minimum, argMinimum) = distances.min(0);
            var better = minimum.lt(bestDistance);
            bestDistance.copy_(where(better, minimum, bestDistance));
            bestIndex.copy_(where(better, candidates.narrow(0, start, length).index_select(0, argMinimum), bestIndex));
        }

        var present = weightSums.GreaterThan(0);
        bestIndex.copy_(where(present, bestIndex, TensorArithmetic.Filled([stateCount], -1L, ScalarType.Int64, means.device)));
        return bestIndex.cpu().data<long>().ToArray();
    }
}
