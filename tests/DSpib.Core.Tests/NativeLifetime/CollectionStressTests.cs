using DSpib.Core.Tests.Support;
using TorchSharp;

namespace DSpib.Core.Tests.NativeLifetime;

/// <summary>
/// The library inside a host that collects garbage at any moment. Every public path that reaches libtorch
/// <list type="bullet">
/// <item>makes every tensor inside a dispose scope, so that each one, including TorchSharp's internal temporaries, is
/// reachable until the call ends;</item>
/// <item>leaves no TorchSharp or library object to the finalizer: an object that reaches its finalizer was not held to the
/// end of its use, so a collection could have freed its native memory while libtorch read it;</item>
/// <item>gives the same numbers, bitwise, with a thread forcing collections and finalizers throughout as without it.</item>
/// </list>
/// The first two are deterministic verdicts on the mechanism; the third is the symptom users would see.
/// </summary>
[Trait("Category", "Slow")]
public sealed class CollectionStressTests : IClassFixture<TrainedForStress>
{
    private readonly TrainedForStress _models;

    public CollectionStressTests(TrainedForStress models) => _models = models;

    public static TheoryData<string> Workloads => new(NativeLifetimeWorkloads.Names);

    [Theory]
    [MemberData(nameof(Workloads))]
    public void Workload_UnderCollectionPressure_GivesTheUndisturbedNumbersBitwise_AndLeavesNothingToTheFinalizer(string workload)
    {
        var undisturbed = Observe(workload, pressure: false);
        var stressed = Observe(workload, pressure: true);

        foreach (var run in new[] { undisturbed, stressed })
        {
            run.TensorsOutsideScopes.Should().Be(0, "every tensor of '{0}' must be made inside a dispose scope ({1} run)", workload, run.Kind);
            run.Finalized.Should().BeEmpty("every native object of '{0}' must be disposed, not finalised ({1} run): {2}", workload, run.Kind, Describe(run.Finalized));
        }

        stressed.Collections.Should().BeGreaterThanOrEqualTo(MinimumCollections, "the pressure thread must have collected throughout the runs");
        undisturbed.Numbers.Should().NotBeEmpty();
        var expected = Enumerable.Repeat(undisturbed.Numbers, stressed.Repetitions).SelectMany(n => n).Select(BitConverter.DoubleToInt64Bits);
        stressed.Numbers.Select(BitConverter.DoubleToInt64Bits).Should().Equal(expected,
            "collections during '{0}' must not change a single bit of its results in any of {1} repetitions", workload, stressed.Repetitions);
    }

    /// <summary>
    /// Collections the pressure thread must have forced while a workload ran. A fast workload on a busy machine sees only
    /// a handful in one run, so the stressed observation repeats the workload until this many have happened.
    /// </summary>
    private const long MinimumCollections = 50;

    /// <summary>Bound on the repetitions, so that a machine where collections stall fails the count instead of hanging.</summary>
    private const int MaximumRepetitions = 200;

    private Observation Observe(string workload, bool pressure)
    {
        var finalizations = NativeFinalizations.Instance;
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        finalizations.Start();
        var outsideBefore = statistics.CreatedOutsideScopeCount;
        var numbers = new List<double>();
        var repetitions = 0;
        long collections = 0;
        using (var collector = pressure ? CollectionPressure.Start() : null)
        {
            do
            {
                numbers.AddRange(NativeLifetimeWorkloads.Run(workload, _models));
                repetitions++;
                collections = collector?.Collections ?? 0;
            }
            while (collector is not null && collections < MinimumCollections && repetitions < MaximumRepetitions);
        }

        return new Observation(pressure ? "under pressure" : "undisturbed", numbers.ToArray(), repetitions,
            statistics.CreatedOutsideScopeCount - outsideBefore, finalizations.Stop(), collections);
    }

    private static string Describe(IReadOnlyDictionary<string, int> finalized) =>
        string.Join("; ", finalized.Select(f => $"{f.Key} x {f.Value}"));

    private sealed record Observation(string Kind, double[] Numbers, int Repetitions, long TensorsOutsideScopes, IReadOnlyDictionary<string, int> Finalized, long Collections);
}
