using DSpib.Data;

namespace DSpib.Core.Tests.Data;

public class StateLabelsTests
{
    private static readonly TrajectorySet ThreeAndFour = DataFactory.Sequential(3, 4);

    [Fact]
    public void FromArrays_ValidLabels_ReturnsThemPerTrajectory()
    {
        var labels = InitialLabels.FromArrays(ThreeAndFour, [[0, 1, 1], [2, 2, 0, 1]]);

        labels.TrajectoryCount.Should().Be(2);
        labels.ForTrajectory(0).ToArray().Should().Equal(0, 1, 1);
        labels.ForTrajectory(1).ToArray().Should().Equal(2, 2, 0, 1);
        labels.ToConcatenatedArray().Should().Equal(0, 1, 1, 2, 2, 0, 1);
    }

    [Fact]
    public void FromArrays_GapsInLabels_StateCountIsLargestPlusOneAndOccupiedCountsDistinct()
    {
        var labels = InitialLabels.FromArrays(ThreeAndFour, [[0, 5, 5], [0, 0, 5, 0]]);

        labels.StateCount.Should().Be(6);
        labels.OccupiedStateCount.Should().Be(2);
    }

    [Fact]
    public void FromArrays_InputMutatedAfterCall_LabelsUnchanged()
    {
        int[] first = [0, 1, 1];
        int[] second = [1, 0, 0, 1];
        var labels = InitialLabels.FromArrays(ThreeAndFour, [first, second]);

        first[0] = 7;
        second[3] = 9;

        labels.ForTrajectory(0).ToArray().Should().Equal(0, 1, 1);
        labels.ForTrajectory(1).ToArray().Should().Equal(1, 0, 0, 1);
    }

    [Fact]
    public void FromArrays_WrongTrajectoryCount_ThrowsNamingLabels()
    {
        FluentActions.Invoking(() => InitialLabels.FromArrays(ThreeAndFour, [[0, 1, 0]]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage("*cover 1 trajectories but the data has 2*");
    }

    [Fact]
    public void FromArrays_WrongLengthForOneTrajectory_ThrowsNamingThatTrajectory()
    {
        FluentActions.Invoking(() => InitialLabels.FromArrays(ThreeAndFour, [[0, 1, 0], [0, 1, 0]]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage("trajectory 1 has 4 frames but 3 labels*");
    }

    [Fact]
    public void FromArrays_NegativeLabel_ThrowsNamingPosition()
    {
        FluentActions.Invoking(() => InitialLabels.FromArrays(ThreeAndFour, [[0, 1, 0], [0, 1, -1, 0]]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage("Label 2 of trajectory 1 is -1*");
    }

    [Fact]
    public void FromArrays_SingleState_Throws()
    {
        FluentActions.Invoking(() => InitialLabels.FromArrays(ThreeAndFour, [[3, 3, 3], [3, 3, 3, 3]]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage("*only 1 state*at least 2*");
    }

    [Fact]
    public void FromArrays_NullTrajectoryLabels_ThrowsNamingTrajectory()
    {
        FluentActions.Invoking(() => InitialLabels.FromArrays(ThreeAndFour, [[0, 1, 0], null!]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage("*trajectory 1*null*");
    }

    [Fact]
    public void FromArray_ConcatenatedLabels_SplitsByTrajectoryLength()
    {
        var labels = InitialLabels.FromArray(ThreeAndFour, [0, 1, 2, 3, 4, 5, 6]);

        labels.ForTrajectory(0).ToArray().Should().Equal(0, 1, 2);
        labels.ForTrajectory(1).ToArray().Should().Equal(3, 4, 5, 6);
        labels.StateCount.Should().Be(7);
        labels.OccupiedStateCount.Should().Be(7);
    }

    [Fact]
    public void FromArray_InputMutatedAfterCall_LabelsUnchanged()
    {
        int[] concatenated = [0, 1, 0, 1, 0, 1, 0];
        var labels = InitialLabels.FromArray(ThreeAndFour, concatenated);

        concatenated[0] = 5;
        concatenated[6] = 5;

        labels.ToConcatenatedArray().Should().Equal(0, 1, 0, 1, 0, 1, 0);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    public void FromArray_WrongTotalLength_ThrowsNamingLabels(int length)
    {
        var concatenated = Enumerable.Range(0, length).Select(i => i % 2).ToArray();

        FluentActions.Invoking(() => InitialLabels.FromArray(ThreeAndFour, concatenated))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage($"*7 frames in all but {length} labels*");
    }

    [Fact]
    public void FromArray_NegativeLabel_ThrowsNamingTrajectoryAndFrame()
    {
        FluentActions.Invoking(() => InitialLabels.FromArray(ThreeAndFour, [0, 1, 0, 1, -4, 1, 0]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage("Label 1 of trajectory 1 is -4*");
    }

    [Fact]
    public void FromArray_SingleState_Throws()
    {
        FluentActions.Invoking(() => InitialLabels.FromArray(ThreeAndFour, [2, 2, 2, 2, 2, 2, 2]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("labels")
            .WithMessage("*only 1 state*");
    }

    [Fact]
    public void ForTrajectory_IndexOutOfRange_Throws()
    {
        var labels = InitialLabels.FromArray(ThreeAndFour, [0, 1, 0, 1, 0, 1, 0]);

        FluentActions.Invoking(() => labels.ForTrajectory(2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("trajectory");
    }
}
