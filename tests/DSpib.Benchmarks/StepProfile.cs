using DSpib.Data;
using DSpib.Devices;
using DSpib.Networks;
using DSpib.Spib;
using DSpib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Benchmarks;

/// <summary>
/// Splits one SPIB optimisation step (batch 512, 100 states, D = 2, decoder 16/16) into forward, backward and
/// optimizer parts, to see where the time of an epoch goes.
/// </summary>
internal static class StepProfile
{
    public static IEnumerable<Measurement> Run(int states, int steps)
    {
        var settings = new Dictionary<string, string> { ["states"] = states.ToString(System.Globalization.CultureInfo.InvariantCulture), ["batch"] = "512", ["threads"] = get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var backend = DeviceBackend.Cpu();
        using var generator = new Generator(1);
        var encoder = new Encoder(2, 2, EncoderOptions.Linear, ScalarType.Float32, generator);
        var decoder = new StateDecoder(2, [16, 16], states, Activation.ReLU, ScalarType.Float32, generator);
        var prior = new VampPriorNetwork(randn(states, 2, generator: generator));
        using var network = new ModelNetwork(encoder, decoder, prior, null, new Standardizer([0.0, 0.0], [1.0, 1.0]), backend);
        using var frames = randn(300_000, 2, generator: generator);
        using var labels = randint(0, states, [300_000], generator: generator);
        using var weights = ones(300_000);
        using var order = randperm(300_000, generator: generator);
        var optimizer = optim.Adam(network.Parameters(), lr: 1e-3);

        SpibObjective.Terms Forward(long step)
        {
            var batch = order.narrow(0, (step * 512) % (300_000 - 512), 512);
            return SpibObjective.Spib(network, frames.index_select(0, batch), labels.index_select(0, batch), weights.index_select(0, batch), 0.01, generator);
        }

        yield return Measurement.Time("forward", 1, 5, () =>
        {
            for (var s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                Forward(s);
            }
        }, settings).PerStep(steps);

        yield return Measurement.Time("forward+backward", 1, 5, () =>
        {
            for (var s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                Forward(s).Loss.backward();
            }
        }, settings).PerStep(steps);

        using var flatAdam = new FlatAdam(network.Parameters(), 1e-3);
        yield return Measurement.Time("step (forward+backward+flat adam)", 1, 5, () =>
        {
            for (var s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                flatAdam.ZeroGrad();
                Forward(s).Loss.backward();
                flatAdam.Step();
            }
        }, settings).PerStep(steps);

        yield return Measurement.Time("step (forward+backward+torch adam)", 1, 5, () =>
        {
            for (var s = 0; s < steps; s++)
            {
                using var scope = NewDisposeScope();
                optimizer.zero_grad();
                Forward(s).Loss.backward();
                optimizer.step();
            }
        }, settings).PerStep(steps);
    }
}
