using DSpib.Data;

namespace DSpib.Core.Tests.Data;

public class TimeLaggedPairsTests
{
    private static readonly int[] FirstLabels = [0, 1, 0, 1, 1];
    private static readonly int[] SecondLabels = [2, 2, 0, 1];

    /// <summary>Trajectory 0: 5 frames at T = 1.5, weights 1..5; trajectory 1: 4 frames at T = 3, weights 6..9.</summary>
    private static TrajectorySet FiveAndFour() => TrajectorySet.Create()
        .Add(new double[5, 1], 1.5, [1.0, 2.0, 3.0, 4.0, 5.0])
        .Add(new double[4, 1], 3.0, [6.0, 7.0, 8.0, 9.0])
        .Build();

    private static TimeLaggedPairs BuildLagTwo()
    {
        var data = FiveAndFour();
        return TimeLaggedPairs.Build(data, InitialLabels.FromArrays(data, [FirstLabels, SecondLabels]), 2);
    }

    [Fact]
    public void Build_TwoTrajectories_MakesLengthMinusLagPairsEach()
    {
        var pairs = BuildLagTwo();

        pairs.Lag.Should().Be(2);
        pairs.Count.Should().Be(3 + 2);
    }

    [Fact]
    public void Build_TwoTrajectories_InputFramesAreConcatenatedIndicesWithinEachTrajectory()
    {
        BuildLagTwo().InputFrame.Should().Equal(0, 1, 2, 5, 6);
    }

    [Fact]
    public void Build_TwoTrajectories_FutureFramesAreLagLaterAndNeverCrossTheBoundary()
    {
        BuildLagTwo().FutureFrame.Should().Equal(2, 3, 4, 7, 8);
    }

    [Fact]
    public void Build_TwoTrajectories_FutureLabelsComeFromTheFutureFrame()
    {
        BuildLagTwo().FutureLabel.Should().Equal(0, 1, 1, 0, 1);
    }

    [Fact]
    public void Build_TwoTrajectories_WeightsComeFromTheInputFrame()
    {
        BuildLagTwo().Weight.Should().Equal(1.0, 2.0, 3.0, 6.0, 7.0);
    }

    [Fact]
    public void Build_TwoTrajectories_TemperaturesArePerTrajectory()
    {
        BuildLagTwo().Temperature.Should().Equal(1.5, 1.5, 1.5, 3.0, 3.0);
    }

    [Fact]
    public void Build_LagOne_PairsEveryConsecutiveFrameInsideTrajectories()
    {
        var data = FiveAndFour();

        var pairs = TimeLaggedPairs.Build(data, InitialLabels.FromArrays(data, [FirstLabels, SecondLabels]), 1);

        pairs.InputFrame.Should().Equal(0, 1, 2, 3, 5, 6, 7);
        pairs.FutureFrame.Should().Equal(1, 2, 3, 4, 6, 7, 8);
        pairs.FutureLabel.Should().Equal(1, 0, 1, 1, 2, 0, 1);
    }

    [Fact]
    public void Build_LagLongestPossible_MakesOnePairForTheShortestTrajectory()
    {
        var data = FiveAndFour();

        var pairs = TimeLaggedPairs.Build(data, InitialLabels.FromArrays(data, [FirstLabels, SecondLabels]), 3);

        pairs.InputFrame.Should().Equal(0, 1, 5);
        pairs.FutureFrame.Should().Equal(3, 4, 8);
    }

    [Fact]
    public void Build_LagAsLongAsATrajectory_ThrowsNamingLagAndTrajectory()
    {
        var data = FiveAndFour();
        var labels = InitialLabels.FromArrays(data, [FirstLabels, SecondLabels]);

        FluentActions.Invoking(() => TimeLaggedPairs.Build(data, labels, 4))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("lag")
            .WithMessage("*trajectory 1 has only 4 frames*");
    }

    [Fact]
    public void Build_LagLongerThanEveryTrajectory_ThrowsNamingTheFirstTooShortTrajectory()
    {
        var data = FiveAndFour();
        var labels = InitialLabels.FromArrays(data, [FirstLabels, SecondLabels]);

        FluentActions.Invoking(() => TimeLaggedPairs.Build(data, labels, 5))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("lag")
            .WithMessage("*trajectory 0 has only 5 frames*");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Build_LagBelowOne_ThrowsNamingLag(int tooShort)
    {
        var data = FiveAndFour();
        var labels = InitialLabels.FromArrays(data, [FirstLabels, SecondLabels]);

        FluentActions.Invoking(() => TimeLaggedPairs.Build(data, labels, tooShort))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("lag");
    }

    [Fact]
    public void Build_LabelsOfAnotherSet_ThrowsNamingLabels()
    {
        var other = DataFactory.Sequential(5, 5);
        var labels = InitialLabels.FromArrays(other, DataFactory.AlternatingLabels(other));

        FluentActions.Invoking(() => TimeLaggedPairs.Build(FiveAndFour(), labels, 2))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage("*trajectory 1 has 4 frames but 5 labels*");
    }
}
