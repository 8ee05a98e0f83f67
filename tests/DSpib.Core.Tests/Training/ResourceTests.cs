using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Training;
using TorchSharp;

namespace DSpib.Core.Tests.Training;

public class ResourceTests
{
    [Fact]
    public void Fit_KeepsTheNumberOfLiveTensorsConstantFromEpochToEpoch()
    {
        var data = ThreeHoleData.Simulate(walkers: 4, frames: 4_000);
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        using var model = DSpibModel.Create().WithInputDimension(2).WithSeed(1).Build();
        var liveAfterEpoch = new List<long>();
        var progress = new SynchronousProgress<EpochSummary>(_ => liveAfterEpoch.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));

        // No refinement, so the network keeps its shape: every step's tensors must be released by its dispose scope.
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(0, patience: 100).WithMaxEpochs(12).Build().Fit(model, data, labels, progress);

        liveAfterEpoch.Should().HaveCount(12);
        liveAfterEpoch.Skip(1).Should().AllBeEquivalentTo(liveAfterEpoch[1], "about 100 steps per epoch must not leave tensors behind");
    }
}
