using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Diffusion;
using DSpib.Interop;
using DSpib.Training;

namespace DSpib.Core.Tests.NativeLifetime;

/// <summary>
/// Small runs of every public path that reaches libtorch (training with both schedules and both priors, resuming from a
/// checkpoint, every sampler, exact log-densities and free energies, encoding and state prediction, saving, loading
/// and exporting), each reduced to the numbers it produced so that two runs can be compared bitwise.
/// </summary>
/// <remarks>
/// Shared by the collection-stress tests and the long stress command of the benchmark harness. The models that the
/// inference workloads use are trained once, undisturbed, by <see cref="TrainedForStress"/>.
/// </remarks>
internal static class NativeLifetimeWorkloads
{
    /// <summary>The workloads by name, in a fixed order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "spib-training",
        "dspib-two-phase-training",
        "dspib-joint-from-start-training",
        "checkpoint-resume",
        "sampling-discrete",
        "sampling-continuous",
        "likelihood-and-free-energy",
        "encoding-and-states",
        "save-load-export",
    ];

    /// <summary>Runs one workload and returns every number it produced.</summary>
    public static double[] Run(string name, TrainedForStress models) => name switch
    {
        "spib-training" => Training(NewSpib(), SpibTrainer().Build(), models),
        "dspib-two-phase-training" => Training(NewDiscreteDSpib(), JointTrainer().WithScoreAveraging(0.9).Build(), models),
        "dspib-joint-from-start-training" => Training(
            NewContinuousDSpib(),
            JointTrainer().WithSchedule(TrainingSchedule.JointFromStart).WithJointTraining(patience: 1, noiseDraws: 2, DiffusionWeighting.Likelihood).Build(),
            models),
        "checkpoint-resume" => CheckpointResume(models),
        "sampling-discrete" => Sampling(models.DiscreteDSpib),
        "sampling-continuous" => Sampling(models.ContinuousDSpib),
        "likelihood-and-free-energy" => Likelihood(models.DiscreteDSpib).Concat(Likelihood(models.ContinuousDSpib)).ToArray(),
        "encoding-and-states" => Encoding(models.Spib, models).Concat(Encoding(models.ContinuousDSpib, models)).ToArray(),
        "save-load-export" => SaveLoadExport(models.Spib, models).Concat(SaveLoadExport(models.DiscreteDSpib, models)).ToArray(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown workload."),
    };

    public static DSpibModel NewSpib() =>
        DSpibModel.Create().WithInputDimension(2).WithLinearEncoder().WithSeed(3).Build();

    public static DSpibModel NewDiscreteDSpib() =>
        DSpibModel.Create().WithInputDimension(2)
            .WithDiffusionPrior(VpSde.Create().Discrete(50, 1e-4, 0.4).Build(), ScoreNet.Create().WithHiddenLayers(16, 16).Build())
            .WithSeed(3).Build();

    public static DSpibModel NewContinuousDSpib() =>
        DSpibModel.Create().WithInputDimension(2)
            .WithDiffusionPrior(VpSde.Create().Continuous().Build(), ScoreNet.Create().WithHiddenLayers(16, 16).WithActivation(DSpib.Networks.Activation.SiLU).Build())
            .WithSeed(3).Build();

    public static TrainerBuilder SpibTrainer() =>
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(2, patience: 0, tolerance: 10).WithMaxEpochs(4).WithSeed(5);

    public static TrainerBuilder JointTrainer() =>
        SpibTrainer().WithRefinement(1, patience: 0, tolerance: 10).WithJointTraining(patience: 1, noiseDraws: 2);

    private static double[] Training(DSpibModel model, Trainer trainer, TrainedForStress models)
    {
        using (model)
        {
            var report = trainer.Fit(model, models.Data, models.Labels);
            return report.History.SelectMany(h => new[] { h.TrainLoss, h.TestLoss, h.TrainDiffusionLoss })
                .Concat(report.StatePopulations)
                .Concat(Flat(model.Encode(models.Frames)))
                .ToArray();
        }
    }

    private static double[] CheckpointResume(TrainedForStress models)
    {
        var folder = Directory.CreateTempSubdirectory("dspib-stress-");
        try
        {
            var path = Path.Combine(folder.FullName, "run.checkpoint");
            using var cancellation = new CancellationTokenSource();
            var stopAfterTwo = new SynchronousProgress<EpochSummary>(e =>
            {
                if (e.Epoch == 2)
                {
                    cancellation.Cancel();
                }
            });
            using (var interrupted = NewDiscreteDSpib())
            {
                try
                {
                    JointTrainer().WithCheckpoints(path, everyEpochs: 1).Build().Fit(interrupted, models.Data, models.Labels, stopAfterTwo, cancellation.Token);
                }
                catch (TrainingCanceledException)
                {
                    // Expected: the run stops after its second epoch and leaves its checkpoint.
                }
            }

            using var resumed = NewDiscreteDSpib();
            var report = JointTrainer().Build().Resume(path, resumed, models.Data, models.Labels);
            return report.History.Select(h => h.TrainLoss).Concat(Flat(resumed.Diffusion!.Sample(200, ThreeHoleData.Temperature, seed: 2))).ToArray();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static double[] Sampling(DSpibModel model)
    {
        var result = new List<double>();
        foreach (var sampler in AllSamplers.With(steps: 10, discrete: model.Options.Diffusion!.Sde.IsDiscrete))
        {
            result.AddRange(Flat(model.Diffusion!.Sample(64, temperature: 0.8, sampler, seed: 7)));
        }

        return result.ToArray();
    }

    private static double[] Likelihood(DSpibModel model)
    {
        double[] axis = [-1.5, -0.5, 0.5, 1.5];
        var points = new double[,] { { 0.1, -0.2 }, { 1.0, 0.5 }, { -2.0, 1.0 } };
        return model.Diffusion!.LogDensity(points, 0.7, steps: 8)
            .Concat(Flat(model.Diffusion!.FreeEnergySurface(0.9, axis, axis, steps: 6).ToMatrix()))
            .Concat(model.Diffusion!.FreeEnergyProfile(1, 0.5, axis, axis, steps: 6).FreeEnergy)
            .ToArray();
    }

    private static double[] Encoding(DSpibModel model, TrainedForStress models)
    {
        var latent = model.Encode(models.Frames);
        return Flat(latent)
            .Concat(model.PredictStates(models.Frames).Select(s => (double)s))
            .Concat(Flat(model.PredictStateProbabilities(models.Frames)))
            .Concat(model.PredictStatesOfLatent(latent).Select(s => (double)s))
            .Concat(model.Encode(models.Data).SelectMany(Flat))
            .Concat(model.PredictStates(models.Data).ToConcatenatedArray().Select(s => (double)s))
            .Concat(model.Options.Diffusion is null ? Flat(model.VampPrior!.Sample(500, seed: 4)) : [])
            .ToArray();
    }

    private static double[] SaveLoadExport(DSpibModel model, TrainedForStress models)
    {
        using var file = new MemoryStream();
        model.Save(file);
        file.Position = 0;
        using var loaded = DSpibModel.Load(file);
        var plumed = loaded.ToPlumedInput(["x", "y"]);
        var folder = Directory.CreateTempSubdirectory("dspib-stress-");
        try
        {
            var written = loaded.ExportLatentTrajectories(models.Data, folder.FullName, TableFormat.Npy);
            var exported = written.Select(path => DSpib.Data.IO.Npy.Read(path)).SelectMany(array => Flat(array.ToMatrix()));
            return Flat(loaded.Encode(models.Frames))
                .Concat(exported)
                .Concat(plumed.Select(c => (double)c))
                .Append(file.Length)
                .ToArray();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static IEnumerable<double> Flat(double[,] values) => values.Cast<double>();
}

/// <summary>The data and the models the inference workloads use, trained once without collection pressure.</summary>
public sealed class TrainedForStress : IDisposable
{
    public TrainedForStress()
    {
        Data = ThreeHoleData.Simulate(walkers: 4, frames: 4_000);
        Labels = InitialLabels.KMeans(Data, 30, seed: 1);
        Frames = Data.Trajectories[0].ToMatrix();
        Spib = NativeLifetimeWorkloads.NewSpib();
        NativeLifetimeWorkloads.SpibTrainer().Build().Fit(Spib, Data, Labels);
        DiscreteDSpib = NativeLifetimeWorkloads.NewDiscreteDSpib();
        NativeLifetimeWorkloads.JointTrainer().Build().Fit(DiscreteDSpib, Data, Labels);
        ContinuousDSpib = NativeLifetimeWorkloads.NewContinuousDSpib();
        NativeLifetimeWorkloads.JointTrainer().Build().Fit(ContinuousDSpib, Data, Labels);
    }

    public TrajectorySet Data { get; }

    public StateLabels Labels { get; }

    public double[,] Frames { get; }

    public DSpibModel Spib { get; }

    public DSpibModel DiscreteDSpib { get; }

    public DSpibModel ContinuousDSpib { get; }

    public void Dispose()
    {
        Spib.Dispose();
        DiscreteDSpib.Dispose();
        ContinuousDSpib.Dispose();
    }
}
