using System.Globalization;
using DSpib.Devices;
using DSpib.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Benchmarks;

/// <summary>
/// Generation costs with the reference ScoreNet (the weights do not change the arithmetic, so an untrained prior
/// stands in for a trained one): 100,000 latent samples with the 100-step ancestral sampler, and the exact free
/// energy on a 200 x 200 latent grid from the probability-flow ODE with fixed-step RK4 (100 steps).
/// </summary>
internal static class GenerationBenchmark
{
    public static IEnumerable<Measurement> Run(DeviceBackend backend, int repeats = 5)
    {
        using var generator = new Generator(1);
        var sde = VpSde.Create().Discrete(100, 1e-4, 0.2).Build();
        using var prior = new DiffusionPriorNetwork(sde, ScoreNet.Create().Reference().Build(), 2, 0.2, ScalarType.Float32, generator)
        {
            ReducedProducts = backend.ReducedProductType,
        };
        prior.eval();
        var settings = new Dictionary<string, string>
        {
            ["scoreNet"] = "reference",
            ["threads"] = get_num_threads().ToString(CultureInfo.InvariantCulture),
        };

        var output = new double[100_000 * 2];
        yield return Measurement.Time("sampling 100,000 x 100 ancestral steps", 1, repeats, () =>
            Generation.Sample(prior, output, 2, 0.2, seed: 1, SamplerOptions.Ancestral, ScalarType.Float32, CPU, null, default),
            new Dictionary<string, string>(settings) { ["batchRows"] = Generation.BatchRows.ToString(CultureInfo.InvariantCulture) });

        var axis = Enumerable.Range(0, 200).Select(i => -3 + (6.0 * i / 199)).ToArray();
        yield return Measurement.Time("exact free energy, 200 x 200 grid, RK4 100 steps", 0, Math.Max(1, repeats / 2), () =>
            FreeEnergyEvaluation.Surface(prior, sde, axis, axis, 0.2, prior.Lambda(0.2), steps: 100, ScalarType.Float32, CPU),
            settings);
    }
}
