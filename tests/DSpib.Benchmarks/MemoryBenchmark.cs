using System.Diagnostics;
using System.Globalization;
using DSpib.Data;
using DSpib.Training;

namespace DSpib.Benchmarks;

/// <summary>
/// Working set over 200 training epochs on a small three-hole data set: native memory must not grow with the number
/// of steps (every step runs in a dispose scope).
/// </summary>
internal static class MemoryBenchmark
{
    public static Measurement Run(int epochs = 200)
    {
        var data = SpibEpochBenchmark.ThreeHoleData(walkers: 4, frames: 5_000);
        var labels = InitialLabels.KMeans(data, 50, 42);
        using var model = DSpibModel.Create().WithInputDimension(2).WithDecoder(16, 16).WithSeed(42).Build();
        var process = Process.GetCurrentProcess();
        var workingSet = new List<double>();
        var progress = new InlineProgress(_ =>
        {
            process.Refresh();
            workingSet.Add(process.WorkingSet64 / (1024.0 * 1024.0));
        });

        // No refinement: the same network for all epochs, so any growth would be a leak.
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(0, patience: epochs + 1).WithMaxEpochs(epochs).Build()
            .Fit(model, data, labels, progress);

        var settled = workingSet[9];
        var last = workingSet[^1];
        var growth = (last - settled) / settled;
        var settings = new Dictionary<string, string>
        {
            ["epochs"] = epochs.ToString(CultureInfo.InvariantCulture),
            ["workingSetAtEpoch10MiB"] = settled.ToString("F1", CultureInfo.InvariantCulture),
            ["workingSetAtEndMiB"] = last.ToString("F1", CultureInfo.InvariantCulture),
            ["peakMiB"] = workingSet.Max().ToString("F1", CultureInfo.InvariantCulture),
            ["growthFromEpoch10"] = growth.ToString("P2", CultureInfo.InvariantCulture),
        };
        return new Measurement("memory (working set per epoch)", "MiB", workingSet, settings);
    }
}
