using System.Globalization;
using DSpib.Data;
using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;
using DSpib.Training;

namespace DSpib.Benchmarks;

/// <summary>
/// Seconds per SPIB epoch on the three-hole sample's data: 10 walkers x 30,000 frames at k_B T = 0.6, lag 50,
/// a 90/10 train/test split (269,550 training pairs in steps of 512), decoder 16/16, 100 initial k-means states.
/// An epoch is one training pass plus the evaluation of the test pairs.
/// </summary>
internal static class SpibEpochBenchmark
{
    public static TrajectorySet ThreeHoleData(int walkers = 10, int frames = 30_000, int seed = 42)
    {
        var potential = new ThreeHolePotential();
        var grid = BoltzmannGrid.Create(potential, 0.6);
        var options = new LangevinOptions { Temperature = 0.6, TimeStep = 1e-3, Walkers = walkers, FramesPerWalker = frames, StepsPerFrame = 10, EquilibrationSteps = 1_000, Seed = seed };
        var simulation = new OverdampedLangevin(options).Run(potential, grid.Sample(walkers, seed));
        var builder = TrajectorySet.Create();
        foreach (var trajectory in simulation.Trajectories)
        {
            builder.Add(trajectory, 0.6);
        }

        return builder.Build();
    }

    /// <summary>Epochs at the full 100 initial states (no refinement yet): the most expensive epochs of a run.</summary>
    public static Measurement FirstRound(int epochs)
    {
        // Patience above the epoch count: no refinement happens, so every epoch has 100 states.
        var (durations, _) = TimeEpochs(NewTrainer(epochs, patience: epochs + 1));

        // The first epoch also pays for setup (standardising, uploading, the first pseudo-inputs).
        return new Measurement("spib-epoch (100 states)", "s", durations.Skip(1).ToArray(), Settings(epochs));
    }

    /// <summary>Every epoch of a complete run with refinements, as a user experiences it.</summary>
    public static Measurement FullRun()
    {
        var (durations, report) = TimeEpochs(NewTrainer(1000, patience: 5));
        var settings = Settings(report.History.Count);
        settings["statesFound"] = report.StateCount.ToString(CultureInfo.InvariantCulture);
        settings["totalSeconds"] = report.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture);
        return new Measurement("spib-epoch (full run, all epochs)", "s", durations.Skip(1).ToArray(), settings);
    }

    /// <summary>Trains on the benchmark data and returns each epoch's wall-clock duration.</summary>
    private static (List<double> Durations, TrainingReport Report) TimeEpochs(Trainer trainer)
    {
        var data = ThreeHoleData();
        var labels = InitialLabels.KMeans(data, 100, 42);
        using var model = NewModel();
        var durations = new List<double>();
        var previous = TimeSpan.Zero;
        var progress = new InlineProgress(e =>
        {
            durations.Add((e.Elapsed - previous).TotalSeconds);
            previous = e.Elapsed;
        });
        var report = trainer.Fit(model, data, labels, progress);
        return (durations, report);
    }

    private static DSpibModel NewModel() =>
        DSpibModel.Create().WithInputDimension(2).WithLatentDimension(2).WithLinearEncoder().WithDecoder(16, 16).WithSeed(42).Build();

    private static Trainer NewTrainer(int maxEpochs, int patience) =>
        Trainer.Create().WithLag(50).WithBatchSize(512).WithLearningRate(1e-3).WithBeta(1e-2)
            .WithSplit(0.9, 0.1).WithRefinement(10, patience, 1e-3).WithMaxEpochs(maxEpochs).WithSeed(42).Build();

    private static Dictionary<string, string> Settings(int epochs) => new()
    {
        ["data"] = "three-hole, 10 walkers x 30000 frames, kT 0.6",
        ["lag"] = "50",
        ["split"] = "90/10 (269550 training pairs)",
        ["batch"] = "512",
        ["initialStates"] = "100",
        ["epochs"] = epochs.ToString(CultureInfo.InvariantCulture),
        ["threads"] = TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>Reports on the training thread at once.</summary>
internal sealed class InlineProgress(Action<EpochSummary> handler) : IProgress<EpochSummary>
{
    public void Report(EpochSummary value) => handler(value);
}
