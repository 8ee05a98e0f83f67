using System.Diagnostics;
using System.Globalization;
using DSpib.Data;
using DSpib.Diffusion;
using DSpib.Training;

namespace DSpib.Benchmarks;

/// <summary>
/// Working set over 200 training epochs on a small three-hole data set, for SPIB and for D-SPIB (the joint objective
/// with the reference score network from the first epoch): native memory must not grow with the number of steps
/// (every step runs in a dispose scope).
/// </summary>
internal static class MemoryBenchmark
{
    public static IEnumerable<Measurement> Run(int epochs = 200)
    {
        yield return Run("SPIB", DSpibModel.Create().WithInputDimension(2).WithDecoder(16, 16).WithSeed(42).Build(), TrainingSchedule.TwoPhase, epochs);
        var dspib = DSpibModel.Create().WithInputDimension(2).WithDecoder(16, 16)
            .WithDiffusionPrior(VpSde.Create().Discrete(100, 1e-4, 0.2).Build(), ScoreNet.Create().Reference().Build())
            .WithSeed(42).Build();
        yield return Run("D-SPIB", dspib, TrainingSchedule.JointFromStart, epochs);
    }

    private static Measurement Run(string name, DSpibModel model, TrainingSchedule schedule, int epochs)
    {
        using var owned = model;
        var data = SpibEpochBenchmark.ThreeHoleData(walkers: 4, frames: 5_000);
        var labels = InitialLabels.KMeans(data, 50, 42);
        var process = Process.GetCurrentProcess();
        var workingSet = new List<double>();
        var managed = new List<double>();
        var progress = new InlineProgress(_ =>
        {
            // A full collection first, so the figure is native memory plus live managed objects, not garbage
            // waiting for the next collection.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            process.Refresh();
            workingSet.Add(process.WorkingSet64 / (1024.0 * 1024.0));
            managed.Add(GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0));
        });

        // No refinement: the same network for all epochs, so any growth would be a leak.
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(0, patience: epochs + 1).WithMaxEpochs(epochs)
            .WithJointTraining(patience: epochs + 1, noiseDraws: 4).WithSchedule(schedule).Build()
            .Fit(model, data, labels, progress);

        // The allocator and the JIT settle during the first epochs; growth is the median of the last ten epochs
        // against the median of epochs 20-30.
        var settled = Median(workingSet.Skip(19).Take(11));
        var last = Median(workingSet.TakeLast(10));
        var growth = (last - settled) / settled;
        var settings = new Dictionary<string, string>
        {
            ["epochs"] = epochs.ToString(CultureInfo.InvariantCulture),
            ["workingSetEpoch1MiB"] = workingSet[0].ToString("F1", CultureInfo.InvariantCulture),
            ["workingSetEpochs20to30MiB"] = settled.ToString("F1", CultureInfo.InvariantCulture),
            ["workingSetLast10MiB"] = last.ToString("F1", CultureInfo.InvariantCulture),
            ["peakMiB"] = workingSet.Max().ToString("F1", CultureInfo.InvariantCulture),
            ["processPeakWorkingSetMiB"] = (process.PeakWorkingSet64 / (1024.0 * 1024.0)).ToString("F1", CultureInfo.InvariantCulture),
            ["managedHeapFirstLastMiB"] = string.Create(CultureInfo.InvariantCulture, $"{managed[0]:F1} / {managed[^1]:F1}"),
            ["growth"] = growth.ToString("P2", CultureInfo.InvariantCulture),
        };
        return new Measurement($"memory, {name} (working set per epoch)", "MiB", workingSet, settings);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
    }
}
