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

        stressed.Collections.Should().BeGreaterThan(10, "the pressure thread must have collected during the run");
        undisturbed.Numbers.Should().NotBeEmpty();
        stressed.Numbers.Select(BitConverter.DoubleToInt64Bits).Should().Equal(undisturbed.Numbers.Select(BitConverter.DoubleToInt64Bits),
            "collections during '{0}' must not change a single bit of its results", workload);
    }

    private Observation Observe(string workload, bool pressure)
    {
        var finalizations = NativeFinalizations.Instance;
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        finalizations.Start();
        var outsideBefore = statistics.CreatedOutsideScopeCount;
        double[] numbers;
        long collections = 0;
        using (var collector = pressure ? CollectionPressure.Start() : null)
        {
            numbers = NativeLifetimeWorkloads.Run(workload, _models);
            collections = collector?.Collections ?? 0;
        }

        return new Observation(pressure ? "under pressure" : "undisturbed", numbers, statistics.CreatedOutsideScopeCount - outsideBefore, finalizations.Stop(), collections);
    }

    private static string Describe(IReadOnlyDictionary<string, int> finalized) =>
        string.Join("; ", finalized.Select(f => $"{f.Key} x {f.Value}"));

    private sealed record Observation(string Kind, double[] Numbers, long TensorsOutsideScopes, IReadOnlyDictionary<string, int> Finalized, long Collections);
}
