using DSpib.Analysis;
using DSpib.Diffusion;
using DSpib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Diffusion;

public class DiffusionPriorTests
{
    /// <summary>An equal mixture of N((-2, 0), 0.5^2 I) and N((2, 0.5), 0.5^2 I).</summary>
    private static Tensor MixtureSamples(long count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var component = randint(0, 2, [count], dtype: ScalarType.Int64, generator: generator);
        using var centres = tensor(new double[,] { { -2, 0 }, { 2, 0.5 } }, dtype: ScalarType.Float32);
        return (centres.index_select(0, component) + (0.5f * randn([count, 2], generator: generator))).MoveToOuterDisposeScope();
    }

    private static double[,] ToArray(Tensor samples)
    {
        var values = samples.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var result = new double[samples.shape[0], 2];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }

    [Fact]
    public void PriorAlone_TrainedOnAGaussianMixture_GeneratesIt()
    {
        using var generator = new Generator(21);
        var sde = VpSde.Create().Discrete(100, 1e-4, 0.2).Build();
        var architecture = ScoreNet.Create().WithHiddenLayers(64, 64, 64).WithActivation(DSpib.Spib.Activation.SiLU).Build();
        using var prior = new DiffusionPrior(sde, architecture, latentDimension: 2, referenceTemperature: 1.0, ScalarType.Float32, generator);
        using var optimizer = new FlatAdam(prior.parameters(), 2e-3);
        using var lambdas = ones(1024);
        using var temperatureInputs = full(1024, prior.TemperatureInput(1.0));

        for (var step = 0; step < 1500; step++)
        {
            using var scope = NewDisposeScope();
            var batch = MixtureSamples(1024, generator);
            var loss = prior.DenoisingLoss(batch, lambdas, temperatureInputs, draws: 4, generator).mean();
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
        }

        using var noGrad = no_grad();
        // In batches of 20,000: intermediates of 200,000 rows cost more in page faults than in arithmetic.
        var batches = Enumerable.Range(0, 10).Select(_ => Samplers.Ancestral(prior, sde, 20_000, 2, 1.0, prior.Lambda(1.0), generator, ScalarType.Float32, CPU)).ToArray();
        using var generated = cat(batches, 0);
        foreach (var batch in batches)
        {
            batch.Dispose();
        }
        using var fresh = MixtureSamples(200_000, generator);
        using var other = MixtureSamples(200_000, generator);

        // 200,000 samples each on 40 x 40 bins: two independent mixture samples score the metric's floor (about 0.013).
        var floor = HistogramDivergence.SymmetrizedKl(ToArray(fresh), ToArray(other), bins: 40);
        var kl = HistogramDivergence.SymmetrizedKl(ToArray(generated), ToArray(fresh), bins: 40);

        floor.Should().BeLessThan(0.025);
        kl.Should().BeLessThan(0.05, $"the metric's floor at these sizes is {floor:F3}");
        Console.WriteLine($"symmetrised KL {kl:F4}, floor {floor:F4}");
    }
}
