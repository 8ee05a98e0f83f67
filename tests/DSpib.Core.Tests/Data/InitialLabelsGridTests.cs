using DSpib.Data;

namespace DSpib.Core.Tests.Data;

public class InitialLabelsGridTests
{
    // Column 0 spans [0, 4] and column 1 spans [0, 2]; with 4 x 2 bins every cell is 1 x 1.
    private static readonly double[,] Points =
    {
        { 0.0, 0.0 },
        { 4.0, 2.0 },
        { 1.5, 0.5 },
        { 2.0, 1.0 },
        { 3.75, 0.75 },
        { 0.5, 2.0 },
    };

    private static readonly int[] FourByTwo = [4, 2];

    [Fact]
    public void Grid_TwoColumns_FirstColumnVariesSlowestAndMaximumFallsInLastBin()
    {
        var labels = InitialLabels.Grid(DataFactory.Single(Points), FourByTwo);

        // cell = bin(column 0) * 2 + bin(column 1)
        labels.ToConcatenatedArray().Should().Equal(0, 7, 2, 5, 6, 1);
        labels.StateCount.Should().Be(8);
    }

    [Fact]
    public void Grid_SelectedColumns_UsesThemInTheGivenOrder()
    {
        // Column 1 is ignored; column 2 spans [0, 2] with 2 bins and varies slowest, column 0 spans [0, 3] with 3 bins.
        double[,] frames =
        {
            { 0.0, 100.0, 0.0 },
            { 3.0, -50.0, 2.0 },
            { 1.5, 7.0, 0.5 },
            { 0.5, 0.0, 1.5 },
        };

        var labels = InitialLabels.Grid(DataFactory.Single(frames), [2, 3], [2, 0]);

        labels.ToConcatenatedArray().Should().Equal(0, 5, 1, 3);
    }

    [Fact]
    public void Grid_SeveralTrajectories_UsesPooledRangeAndSplitsLabels()
    {
        // Values 0..7 over trajectories of 3 and 5 frames; 4 bins of width 7/4 over the pooled range.
        var data = DataFactory.Sequential(3, 5);

        var labels = InitialLabels.Grid(data, [4]);

        labels.ForTrajectory(0).ToArray().Should().Equal(0, 0, 1);
        labels.ForTrajectory(1).ToArray().Should().Equal(1, 2, 2, 3, 3);
    }

    [Fact]
    public void Grid_ConstantColumn_PutsEveryFrameInItsFirstBin()
    {
        double[,] frames = { { 5.0, 0.0 }, { 5.0, 1.0 }, { 5.0, 2.0 } };

        var labels = InitialLabels.Grid(DataFactory.Single(frames), [3, 2]);

        labels.ToConcatenatedArray().Should().Equal(0, 1, 1);
    }

    [Fact]
    public void Grid_BinsAndColumnsCountMismatch_ThrowsNamingBins()
    {
        FluentActions.Invoking(() => InitialLabels.Grid(DataFactory.Single(Points), FourByTwo, [0]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("binsPerColumn")
            .WithMessage("2 bin counts were given for 1 columns*");
    }

    [Fact]
    public void Grid_ZeroBins_ThrowsNamingBins()
    {
        FluentActions.Invoking(() => InitialLabels.Grid(DataFactory.Single(Points), [4, 0]))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("binsPerColumn");
    }

    [Fact]
    public void Grid_SingleCell_ThrowsNamingBins()
    {
        FluentActions.Invoking(() => InitialLabels.Grid(DataFactory.Single(Points), [1, 1]))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("binsPerColumn");
    }

    [Fact]
    public void Grid_TooManyCells_ThrowsNamingBins()
    {
        double[,] frames = { { 0, 0, 0 }, { 1, 1, 1 } };

        FluentActions.Invoking(() => InitialLabels.Grid(DataFactory.Single(frames), [65536, 65536]))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("binsPerColumn");
    }

    [Fact]
    public void Grid_CellCountOverflowingLongToASmallNumber_ThrowsNamingBins()
    {
        // 2147418113 * 1718039348 * 5 = 2^64 + 4: a product that wraps around in 64-bit arithmetic must still be rejected.
        double[,] frames = { { 0, 0, 0 }, { 1, 1, 1 }, { 0.5, 0.5, 0.5 } };

        FluentActions.Invoking(() => InitialLabels.Grid(DataFactory.Single(frames), [2147418113, 1718039348, 5]))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("binsPerColumn");
    }

    [Fact]
    public void Grid_ColumnOutOfRange_ThrowsNamingColumns()
    {
        FluentActions.Invoking(() => InitialLabels.Grid(DataFactory.Single(Points), FourByTwo, [0, 2]))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("columns");
    }
}
