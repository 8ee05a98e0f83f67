using System.Globalization;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Benchmarks;

/// <summary>
/// The two costs that dominate D-SPIB: one optimisation step of the diffusion term (512 latent samples x 16 noise
/// draws = 8,192 score-network rows, forward + backward + Adam, reference ScoreNet) and one sampler step (the score
/// network's forward pass on 5,000 rows at one step and temperature).
/// </summary>
internal static class DiffusionStepBenchmark
{
    private const int Batch = 512;
    private const int Draws = 16;
    private const int SamplerRows = 5_000;

    public static IEnumerable<Measurement> Run(DeviceBackend backend, int repeats = 15, int stepsPerRepeat = 20)
    {
        using var generator = new Generator(1);
        var sde = VpSde.Create().Discrete(100, 1e-4, 0.2).Build();
        using var prior = new DiffusionPriorNetwork(sde, ScoreNet.Create().Reference().Build(), 2, 0.2, ScalarType.Float32, generator)
        {
            ReducedProducts = backend.ReducedProductType,
        };
        using var optimizer = new FlatAdam(prior.parameters(), 1e-3);
        using var latent = randn([Batch, 2], generator: generator);
        using var temperatures = BatchTemperatures.Uniform(prior, 0.2, Batch, ScalarType.Float32, CPU);
        var settings = new Dictionary<string, string>
        {
            ["scoreNet"] = "reference (25,026 parameters for D = 2)",
            ["threads"] = get_num_threads().ToString(CultureInfo.InvariantCulture),
        };

        var trainingSettings = new Dictionary<string, string>(settings) { ["rows"] = $"{Batch} x {Draws} = {Batch * Draws}" };
        yield return Measurement.Time("diffusion training step (fwd+bwd+adam)", 2, repeats, () =>
        {
            for (var s = 0; s < stepsPerRepeat; s++)
            {
                using var scope = NewDisposeScope();
                var z = latent.detach().requires_grad_(true);
                var loss = prior.DenoisingLoss(z, temperatures, Draws, generator).mean();
                optimizer.ZeroGrad();
                loss.backward();
                optimizer.Step();
            }
        }, trainingSettings).PerStep(stepsPerRepeat);

        using var rows = randn([SamplerRows, 2], generator: generator);
        var samplerSettings = new Dictionary<string, string>(settings) { ["rows"] = SamplerRows.ToString(CultureInfo.InvariantCulture) };
        yield return Measurement.Time("score-net forward, one sampler step", 2, repeats, () =>
        {
            using var inference = inference_mode();
            for (var s = 0; s < stepsPerRepeat; s++)
            {
                using var scope = NewDisposeScope();
                prior.PredictNoise(rows, DiffusionTime.Discrete(sde, s % sde.Steps), 0.2, 1.0);
            }
        }, samplerSettings).PerStep(stepsPerRepeat);
    }
}
