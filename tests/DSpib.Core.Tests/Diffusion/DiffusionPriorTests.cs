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

    [Fact]
    public void PriorAlone_TrainedAtTwoTemperatures_GeneratesTheRightVarianceInBetween()
    {
        // Latents of a harmonic well: N(0, c T I) with c = 2, seen at T = 0.2 and T = 0.5 only. With lambda = sqrt(T / T_ref)
        // and a temperature embedding smooth in log T, the prior must generate variance 2 x 0.35 = 0.7 at T = 0.35.
        // 20,000 samples estimate a variance to 1 %, so 10 % is the model's error, not the sampling noise.
        using var generator = new Generator(8);
        var sde = VpSde.Create().Discrete(100, 1e-4, 0.2).WithTemperatureLaw(TemperatureLaw.SquareRoot).Build();
        var architecture = ScoreNet.Create().WithHiddenLayers(64, 64, 64).WithActivation(DSpib.Spib.Activation.SiLU)
            .WithTemperatureEmbedding(TemperatureEmbedding.Fourier(16, scale: 0.1).OfLogTemperature()).Build();
        using var prior = new DiffusionPrior(sde, architecture, latentDimension: 2, referenceTemperature: 0.2, ScalarType.Float32, generator);
        using var optimizer = new FlatAdam(prior.parameters(), 2e-3);
        var temperatures = Enumerable.Range(0, 1024).Select(i => i % 2 == 0 ? 0.2 : 0.5).ToArray();
        using var temperatureTensor = tensor(temperatures.Select(t => (float)t).ToArray());
        using var lambdas = tensor(temperatures.Select(t => (float)prior.Lambda(t)).ToArray());
        using var temperatureInputs = tensor(temperatures.Select(t => (float)prior.TemperatureInput(t)).ToArray());

        for (var step = 0; step < 1500; step++)
        {
            using var scope = NewDisposeScope();
            var batch = randn([1024, 2], generator: generator) * (2 * temperatureTensor).sqrt().unsqueeze(1);
            var loss = prior.DenoisingLoss(batch, lambdas, temperatureInputs, draws: 4, generator).mean();
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
        }

        using var noGrad = no_grad();
        foreach (var (temperature, tolerance) in new[] { (0.35, 0.10), (0.2, 0.10), (0.5, 0.10) })
        {
            using var generated = Samplers.Ancestral(prior, sde, 20_000, 2, temperature, prior.Lambda(temperature), generator, ScalarType.Float32, CPU);
            var variance = generated.var(0).mean().item<float>();
            variance.Should().BeApproximately((float)(2 * temperature), (float)(tolerance * 2 * temperature), $"T = {temperature}");
        }
    }
}
