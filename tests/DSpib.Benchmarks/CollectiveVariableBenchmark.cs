using DSpib.Data;
using DSpib.Networks;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;
using DSpib.Training;

namespace DSpib.Benchmarks;

/// <summary>
/// Latency of the collective variable with its Jacobian against the plain encode, for a 2-D latent space on 2
/// descriptors with a 64-64 tanh encoder (the weights do not change the arithmetic; the model is trained for two
/// epochs only so that it can encode): one frame, and a batch of 1,000. Each timing is of 1,000 calls (single frame)
/// or one call (batch), in seconds.
/// </summary>
internal static class CollectiveVariableBenchmark
{
    public static IEnumerable<Measurement> Run(int repeats = 20)
    {
        var potential = new ThreeHolePotential();
        var simulation = new OverdampedLangevin(new LangevinOptions { Temperature = 0.6, Walkers = 2, FramesPerWalker = 2_000, StepsPerFrame = 10 })
            .Run(potential, [[-1.0, 0.0], [1.0, 0.0]]);
        var builder = TrajectorySet.Create();
        foreach (var trajectory in simulation.Trajectories)
        {
            builder.Add(trajectory, 0.6);
        }

        var data = builder.Build();
        using var model = DSpibModel.Create().WithLatentDimension(2).WithMlpEncoder([64, 64], Activation.Tanh).AsSpibBaseline().WithSeed(1).Build();
        Trainer.Create().WithLag(10).WithBeta(1e-3).WithLearningRate(3e-3).WithRefinement(1, patience: 100, tolerance: 1e-9).WithMaxEpochs(4).Build().Fit(model, data, InitialLabels.KMeans(data, 5, seed: 1));
        var cv = model.CollectiveVariable();
        var settings = new Dictionary<string, string> { ["encoder"] = "64-64 tanh", ["descriptors"] = "2", ["latent"] = "2", ["threads"] = TorchSharp.torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var one = new double[1, 2];
        var batch = new double[1_000, 2];
        Array.Copy(simulation.Trajectories[0], batch, batch.Length);
        var value = new double[2];
        var jacobian = new double[4];
        var frame = new[] { -1.0, 0.2 };

        yield return Measurement.Time("encode, 1 frame x 1,000 calls", 1, repeats, () =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                model.Encode(one);
            }
        }, settings);
        yield return Measurement.Time("CV + Jacobian, 1 frame x 1,000 calls", 1, repeats, () =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                cv.Evaluate(frame, value, jacobian);
            }
        }, settings);
        yield return Measurement.Time("encode, batch of 1,000", 1, repeats, () => model.Encode(batch), settings);
        yield return Measurement.Time("CV + Jacobian, batch of 1,000", 1, repeats, () => cv.EvaluateWithJacobian(batch), settings);
    }
}
