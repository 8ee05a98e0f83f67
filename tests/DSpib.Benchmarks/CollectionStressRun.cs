using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DSpib.Core.Tests.NativeLifetime;
using DSpib.Core.Tests.Support;
using TorchSharp;

namespace DSpib.Benchmarks;

/// <summary>
/// The long form of the collection-stress tests: every native-lifetime workload, many rounds, each run with a thread
/// forcing collections and finalizers and compared bitwise with one undisturbed run of the same workload. Counts runs,
/// differing results, tensors made outside a dispose scope and native objects left to the finalizer; a crash ends the
/// process, so reaching the summary is itself a result.
/// </summary>
internal static class CollectionStressRun
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static int Run(int rounds)
    {
        using var models = new TrainedForStress();
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var finalizations = NativeFinalizations.Instance;
        var baseline = NativeLifetimeWorkloads.Names.ToDictionary(name => name, name => NativeLifetimeWorkloads.Run(name, models));
        var counts = NativeLifetimeWorkloads.Names.ToDictionary(name => name, _ => new Counts());
        var stopwatch = Stopwatch.StartNew();
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var name in NativeLifetimeWorkloads.Names)
            {
                finalizations.Start();
                var outside = statistics.CreatedOutsideScopeCount;
                double[] numbers;
                using (var pressure = CollectionPressure.Start())
                {
                    numbers = NativeLifetimeWorkloads.Run(name, models);
                    counts[name].Collections += pressure.Collections;
                }

                var entry = counts[name];
                entry.Runs++;
                entry.Different += numbers.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(baseline[name].Select(BitConverter.DoubleToInt64Bits)) ? 0 : 1;
                entry.OutsideScopes += statistics.CreatedOutsideScopeCount - outside;
                entry.Finalized += finalizations.Stop().Values.Sum();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}/{rounds} done after {stopwatch.Elapsed.TotalMinutes:F1} min"));
        }

        Console.WriteLine($"{"workload",-34} {"runs",6} {"different",10} {"outside scopes",15} {"finalised",10} {"collections",12}");
        foreach (var (name, c) in counts)
        {
            Console.WriteLine($"{name,-34} {c.Runs,6} {c.Different,10} {c.OutsideScopes,15} {c.Finalized,10} {c.Collections,12}");
        }

        var total = counts.Values.Aggregate(new Counts(), (a, c) => new Counts { Runs = a.Runs + c.Runs, Different = a.Different + c.Different, OutsideScopes = a.OutsideScopes + c.OutsideScopes, Finalized = a.Finalized + c.Finalized, Collections = a.Collections + c.Collections });
        Console.WriteLine($"{"all",-34} {total.Runs,6} {total.Different,10} {total.OutsideScopes,15} {total.Finalized,10} {total.Collections,12}");
        Directory.CreateDirectory("benchmark-results");
        var path = Path.Combine("benchmark-results", "gc-stress.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new { Rounds = rounds, Workloads = counts, Total = total, Minutes = stopwatch.Elapsed.TotalMinutes, Machine = Environment.MachineName, Cores = Environment.ProcessorCount, Date = DateTime.UtcNow }, Indented));
        Console.WriteLine($"written {path}");
        return total.Different + total.OutsideScopes + total.Finalized == 0 ? 0 : 1;
    }

    private sealed class Counts
    {
        public long Runs { get; set; }

        public long Different { get; set; }

        public long OutsideScopes { get; set; }

        public long Finalized { get; set; }

        public long Collections { get; set; }
    }
}
