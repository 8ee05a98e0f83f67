using System.Globalization;
using DSpib.Core.Tests.Fuzzing;

namespace DSpib.Benchmarks;

/// <summary>
/// The test suite's fuzz targets run far longer: every reader and the model file and checkpoint, over several seeds,
/// with the suite's rules (the documented exception or a correct read, a time limit per case, a memory budget). The
/// figures are the cases per second of each seed; the counts of cases, reads, refusals and failures are the settings.
/// Failing inputs are written to <c>benchmark-results/fuzz-failures/</c>.
/// </summary>
internal static class FuzzBenchmark
{
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(5);

    /// <param name="scale">Multiplies the case counts (1: 100,000 cases per reader, 10,000 per model file and checkpoint, five seeds each).</param>
    /// <param name="resealManifest">Whether resealed model files may also change the manifest (which then reaches the model settings).</param>
    /// <param name="only">The one target to run (its name, as ".npy", ".xtc" or "checkpoint"), or <see langword="null"/> for all.</param>
    public static IEnumerable<Measurement> Run(double scale, bool resealManifest, string? only)
    {
        var readerCases = (long)(100_000 * scale);
        var modelCases = (long)(10_000 * scale);
        bool Wanted(string name) => only is null || string.Equals(only.TrimStart('.'), name.TrimStart('.'), StringComparison.OrdinalIgnoreCase);
        foreach (var target in new[] { ArrayFuzzTargets.Npy(), ArrayFuzzTargets.Npz(), TextFuzzTargets.Csv(), TextFuzzTargets.Colvar(), GromacsFuzzTargets.Xvg(), GromacsFuzzTargets.Gro(), GromacsFuzzTargets.Xtc() }.Where(t => Wanted(t.Name)))
        {
            yield return Run(target, readerCases);
        }

        if (!Wanted("model file") && !Wanted("checkpoint"))
        {
            yield break;
        }

        using var seeds = new ModelSeeds();
        if (Wanted("model file"))
        {
            yield return Run(ModelFuzzTargets.ModelFile(seeds.ModelFiles, resealManifest), modelCases);
        }

        if (Wanted("checkpoint"))
        {
            yield return Run(ModelFuzzTargets.Checkpoint(seeds.Checkpoints, seeds.Dspib, seeds.Folder), modelCases);
        }
    }

    private static Measurement Run(FuzzTarget target, long cases)
    {
        int[] seeds = [1, 2, 3, 4, 5];
        var reports = seeds.Select(seed =>
        {
            var report = FuzzRunner.Run(target, seed, cases / seeds.Length, CaseLimit);
            Console.WriteLine(report);
            Keep(report);
            return report;
        }).ToList();

        var byKind = reports.SelectMany(r => r.ByKind).GroupBy(k => k.Key).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Sum(k => k.Value)}");
        var settings = new Dictionary<string, string>
        {
            ["seeds"] = string.Join(", ", seeds),
            ["cases"] = reports.Sum(r => r.Cases).ToString(CultureInfo.InvariantCulture),
            ["readCorrectly"] = reports.Sum(r => r.Read).ToString(CultureInfo.InvariantCulture),
            ["refused"] = reports.Sum(r => r.Refused).ToString(CultureInfo.InvariantCulture),
            ["failures"] = reports.Sum(r => r.Failures.Count).ToString(CultureInfo.InvariantCulture),
            ["byMutation"] = string.Join(", ", byKind),
            ["maxAllocatedKiB"] = (reports.Max(r => r.MaxAllocatedBytes) / 1024.0).ToString("F0", CultureInfo.InvariantCulture),
            ["slowestCaseMs"] = reports.Max(r => r.SlowestCase.TotalMilliseconds).ToString("F0", CultureInfo.InvariantCulture),
            ["seconds"] = reports.Sum(r => r.Elapsed.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture),
        };
        return new Measurement($"fuzz, {target.Name}", "cases/s", reports.Select(r => r.Cases / r.Elapsed.TotalSeconds).ToArray(), settings);
    }

    private static void Keep(FuzzReport report)
    {
        if (report.Failures.Count == 0)
        {
            return;
        }

        var folder = Path.Combine("benchmark-results", "fuzz-failures");
        Directory.CreateDirectory(folder);
        foreach (var failure in report.Failures)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{report.Target.Replace(' ', '-').TrimStart('.')}-seed{report.Seed}-case{failure.Case}");
            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), failure.Input);
            File.WriteAllText(Path.Combine(folder, name + ".txt"), failure.ToString());
        }
    }
}
