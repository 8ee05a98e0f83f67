using DSpib.Systems.Datasets;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Datasets;

public class Lj7DatasetTests
{
    [Fact]
    public void Describe_SortsTheCoordinationNumbers_AndTheMomentsAreThoseOfTheParticles()
    {
        var potential = new LennardJones7();
        var hexagon = potential.MinimumEnergyHexagon();
        var positions = new double[1, 14];
        for (var d = 0; d < 14; d++)
        {
            positions[0, d] = hexagon[d];
        }

        var (coordination, moments) = Lj7Dataset.Describe(positions);

        var unsorted = new double[7];
        LennardJones7.CoordinationNumbers(hexagon, unsorted);
        var (mu2, mu3) = LennardJones7.CoordinationMoments(unsorted);

        // The central particle (index 0) has six nearest neighbours, the ring particles three: it comes first.
        coordination[0, 0].Should().BeApproximately(unsorted[0], 1e-12);
        Enumerable.Range(0, 7).Select(i => coordination[0, i]).Should().BeInDescendingOrder()
            .And.BeEquivalentTo(unsorted, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
        moments[0, 0].Should().BeApproximately(mu2, 1e-12);
        moments[0, 1].Should().BeApproximately(mu3, 1e-12);
        mu2.Should().BeGreaterThan(0.1, "the centre is far more coordinated than the ring");
    }

    [Fact]
    public void Simulate_RecordsEveryWalkersFrames_WithDescriptorsOfThoseFrames()
    {
        var data = Lj7Dataset.Simulate(0.3, walkers: 3, framesPerWalker: 50, stepsPerFrame: 20, equilibrationSteps: 500, seed: 5);

        data.TotalFrames.Should().Be(150);
        data.Coordination.Should().HaveCount(3);
        var (coordination, moments) = Lj7Dataset.Describe(data.Simulation.Trajectories[2]);
        data.Coordination[2].Should().BeEquivalentTo(coordination);
        data.Moments[2].Should().BeEquivalentTo(moments);
        data.Simulation.MeanKineticTemperature.Should().BeApproximately(0.3, 0.1, "150 strongly correlated frames estimate it to about 0.03");
    }
}
