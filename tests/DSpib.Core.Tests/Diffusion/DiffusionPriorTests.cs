using DSpib.Analysis;
using DSpib.Diffusion;
using DSpib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Diffusion;

public class DiffusionPriorTests
{
    /// <summary>Weights of the mixture's components N((-2, 0), 0.5^2 I) and N((2, 0.5), 0.5^2 I).</summary>
    private static readonly double[] MixtureWeights = [0.7, 0.3];

    private static readonly double[,] MixtureCentres = { { -2, 0 }, { 2, 0.5 } };

    private const double MixtureDeviation = 0.5;

    private static Tensor MixtureSamples(long count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var component = (rand([count], generator: generator) >= MixtureWeights[0]).to(ScalarType.Int64);
        using var centres = tensor(MixtureCentres, dtype: ScalarType.Float32);
        return (centres.index_select(0, component) + (MixtureDeviation * randn([count, 2], generator: generator))).MoveToOuterDisposeScope();
    }

    /// <summary>The mixture's exact density at (x, y).</summary>
    private static double MixtureDensity(double x, double y)
    {
        var density = 0.0;
        for (var k = 0; k < MixtureWeights.Length; k++)
        {
            var squared = Math.Pow(x - MixtureCentres[k, 0], 2) + Math.Pow(y - MixtureCentres[k, 1], 2);
            density += MixtureWeights[k] * Math.Exp(-squared / (2 * MixtureDeviation * MixtureDeviation)) / (2 * Math.PI * MixtureDeviation * MixtureDeviation);
        }

        return density;
    }

    private static double[,] ToArray(Tensor samples)
    {
        var values = samples.to(ScalarType.Float64).contiguous().data<double>().ToArray();
        var result = new double[samples.shape[0], 2];
        Buffer.BlockCopy(values, 0, result, 0, values.Length * sizeof(double));
        return result;
    }

    [Fact]
    public void PriorAlone_TrainedOnAGaussianMixture_GeneratesIt_AndItsExactFreeEnergyHasTheBasinDepths()
    {
        using var generator = new Generator(21);
        var sde = VpSde.Create().Discrete(100, 1e-4, 0.2).Build();
        var architecture = ScoreNet.Create().WithHiddenLayers(64, 64, 64).WithActivation(DSpib.Networks.Activation.SiLU).Build();
        using var prior = new DiffusionPriorNetwork(sde, architecture, latentDimension: 2, referenceTemperature: 1.0, ScalarType.Float32, generator);
        using var optimizer = new FlatAdam(prior.parameters(), 2e-3);
        using var temperatures = BatchTemperatures.Uniform(prior, 1.0, 1024, ScalarType.Float32, CPU);
        using var average = new ParameterAverage(prior.parameters(), decay: 0.995);

        for (var step = 0; step < 1500; step++)
        {
            using var scope = NewDisposeScope();
            var batch = MixtureSamples(1024, generator);
            var loss = prior.DenoisingLoss(batch, temperatures, draws: 4, generator).mean();
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
            average.Update();
        }

        // The free energy integrates the score, so it is evaluated with averaged weights rather than the noisy last step's.
        average.CopyToParameters();

        double floor, kl;
        using (no_grad())
        {
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
            floor = HistogramDivergence.SymmetrizedKl(ToArray(fresh), ToArray(other), bins: 40);
            kl = HistogramDivergence.SymmetrizedKl(ToArray(generated), ToArray(fresh), bins: 40);
            floor.Should().BeLessThan(0.025);
            kl.Should().BeLessThan(0.05, $"the metric's floor at these sizes is {floor:F3}");
        }

        // The depth of each basin is its free energy -ln(population), from the exact density integrated over the basin
        // (the half-plane on its side of x = 0) on a grid that covers both: the truth differs by ln(0.7 / 0.3) = 0.85.
        var x = Enumerable.Range(0, 41).Select(i => -4 + (0.2 * i)).ToArray();
        var y = Enumerable.Range(0, 21).Select(i => -2 + (0.225 * i)).ToArray();
        var surface = FreeEnergyEvaluation.Surface(prior, sde, x, y, 1.0, prior.Lambda(1.0), steps: 100, ScalarType.Float32, CPU);
        double Depth(Func<double, bool> inBasin, Func<int, int, double> density)
        {
            var mass = 0.0;
            for (var i = 0; i < x.Length; i++)
            {
                for (var j = 0; j < y.Length; j++)
                {
                    mass += inBasin(x[i]) ? density(i, j) : 0;
                }
            }

            return -Math.Log(mass);
        }

        var left = Depth(v => v < 0, (i, j) => Math.Exp(-surface[i, j]));
        var right = Depth(v => v > 0, (i, j) => Math.Exp(-surface[i, j]));
        var trueLeft = Depth(v => v < 0, (i, j) => MixtureDensity(x[i], y[j]));
        var trueRight = Depth(v => v > 0, (i, j) => MixtureDensity(x[i], y[j]));
        (trueRight - trueLeft).Should().BeApproximately(Math.Log(0.7 / 0.3), 0.01, "the grid holds both basins");
        Console.WriteLine($"basin depth difference {right - left:F3} k_B T (truth {trueRight - trueLeft:F3}), symmetrised KL {kl:F4} (floor {floor:F4})");
        (right - left).Should().BeApproximately(trueRight - trueLeft, 0.2, "the basins' depths in k_B T");
    }

    [Fact]
    public void PriorAlone_TrainedAtTwoTemperatures_GeneratesTheRightVarianceInBetween()
    {
        // Latents of a harmonic well: N(0, c T I) with c = 2, seen at T = 0.2 and T = 0.5 only. With lambda = sqrt(T / T_ref)
        // and a temperature embedding smooth in log T, the prior must generate variance 2 x 0.35 = 0.7 at T = 0.35.
        // 20,000 samples estimate a variance to 1 %, so 10 % is the model's error, not the sampling noise.
        using var generator = new Generator(8);
        var sde = VpSde.Create().Discrete(100, 1e-4, 0.2).WithTemperatureLaw(TemperatureLaw.SquareRoot).Build();
        var architecture = ScoreNet.Create().WithHiddenLayers(64, 64, 64).WithActivation(DSpib.Networks.Activation.SiLU)
            .WithTemperatureEmbedding(TemperatureEmbedding.Fourier(16, scale: 0.1).OfLogTemperature()).Build();
        using var prior = new DiffusionPriorNetwork(sde, architecture, latentDimension: 2, referenceTemperature: 0.2, ScalarType.Float32, generator);
        using var optimizer = new FlatAdam(prior.parameters(), 2e-3);
        var temperatures = Enumerable.Range(0, 1024).Select(i => i % 2 == 0 ? 0.2 : 0.5).ToArray();
        using var temperatureTensor = tensor(temperatures.Select(t => (float)t).ToArray());
        using var batchTemperatures = BatchTemperatures.Of(prior, temperatures, ScalarType.Float32, CPU);

        for (var step = 0; step < 1500; step++)
        {
            using var scope = NewDisposeScope();
            var batch = randn([1024, 2], generator: generator) * (2 * temperatureTensor).sqrt().unsqueeze(1);
            var loss = prior.DenoisingLoss(batch, batchTemperatures, draws: 4, generator).mean();
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
