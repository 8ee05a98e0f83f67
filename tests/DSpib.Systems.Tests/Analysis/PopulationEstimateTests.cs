using DSpib.Systems.Analysis;

namespace DSpib.Systems.Tests.Analysis;

public class PopulationEstimateTests
{
    [Fact]
    public void FromWalkers_GivesMeanFractionsAndTheirStandardError()
    {
        // Walker fractions of state 0: 0.75 and 0.25 -> mean 0.5, sample sd 0.353553, SE 0.25.
        var estimate = PopulationEstimate.FromWalkers([[0, 0, 0, 1], [0, 1, 1, 1]], 2);

        estimate.Mean.Should().Equal(0.5, 0.5);
        estimate.StandardError[0].Should().BeApproximately(0.25, 1e-12);
    }

    [Fact]
    public void FromWalkers_WithUnequalLengths_ThrowsNamingTheArgument()
    {
        var act = () => PopulationEstimate.FromWalkers([[0, 1], [0]], 2);

        act.Should().Throw<ArgumentException>().WithParameterName("statesPerWalker");
    }
}
