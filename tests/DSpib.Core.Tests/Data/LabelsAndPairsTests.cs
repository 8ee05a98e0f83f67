using DSpib.Data;

namespace DSpib.Core.Tests.Data;

public class InitialLabelsTests
{
    private static TrajectorySet TwoTrajectories() =>
        TrajectorySet.Create().Add(new double[3, 1], 1.0).Add(new double[2, 1], 1.0).Build();

    [Fact]
    public void FromArray_SplitsByTrajectory_AndCopies()
    {
        var source = new[] { 0, 1, 2, 1, 0 };

        var labels = InitialLabels.FromArray(TwoTrajectories(), source);
        source[0] = 7;

        labels.ForTrajectory(0).ToArray().Should().Equal(0, 1, 2);
        labels.ForTrajectory(1).ToArray().Should().Equal(1, 0);
        labels.StateCount.Should().Be(3);
    }

    [Fact]
    public void FromArrays_WrongTrajectoryCount_IsRefused()
    {
        var act = () => InitialLabels.FromArrays(TwoTrajectories(), [[0, 1, 0]]);

        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*1 trajectories*data has 2*");
    }

    [Fact]
    public void FromArrays_WrongLength_IsRefused()
    {
        var act = () => InitialLabels.FromArrays(TwoTrajectories(), [[0, 1, 0], [1]]);

        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*2 frames but 1 labels*");
    }

    [Fact]
    public void FromArrays_NegativeLabel_IsRefused()
    {
        var act = () => InitialLabels.FromArrays(TwoTrajectories(), [[0, -1, 0], [1, 0]]);

        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*Label 1 of trajectory 0 is -1*");
    }

    [Fact]
    public void FromArrays_OneState_IsRefused()
    {
        var act = () => InitialLabels.FromArrays(TwoTrajectories(), [[4, 4, 4], [4, 4]]);

        act.Should().Throw<ArgumentException>().WithParameterName("labels").WithMessage("*only 1 state*at least 2*");
    }

    [Fact]
    public void KMeans_OnSeparatedBlobs_RecoversThemExactly_AndIsSeeded()
    {
        var random = new Random(3);
        var centers = new[] { (0.0, 0.0), (10.0, 0.0), (0.0, 10.0) };
        var frames = new double[900, 2];
        var truth = new int[900];
        for (var n = 0; n < 900; n++)
        {
            truth[n] = n % 3;
            frames[n, 0] = centers[truth[n]].Item1 + random.NextDouble() - 0.5;
            frames[n, 1] = centers[truth[n]].Item2 + random.NextDouble() - 0.5;
        }

        var data = TrajectorySet.Create().Add(frames, 1.0).Build();

        var labels = InitialLabels.KMeans(data, 3, seed: 5).ForTrajectory(0).ToArray();

        // Same partition up to renaming: each true blob maps to exactly one cluster and vice versa.
        Enumerable.Range(0, 3).Select(k => labels.Where((_, n) => truth[n] == k).Distinct().Count()).Should().AllBeEquivalentTo(1);
        labels.Distinct().Should().HaveCount(3);
        InitialLabels.KMeans(data, 3, seed: 5).ForTrajectory(0).ToArray().Should().Equal(labels);
    }

    [Fact]
    public void KMeans_OnAChosenColumn_IgnoresTheOthers()
    {
        // Column 1 holds two groups; column 0 is large noise that would dominate if it were used.
        var random = new Random(1);
        var frames = new double[400, 2];
        for (var n = 0; n < 400; n++)
        {
            frames[n, 0] = random.NextDouble() * 1000;
            frames[n, 1] = n < 200 ? random.NextDouble() : 50 + random.NextDouble();
        }

        var labels = InitialLabels.KMeans(TrajectorySet.Create().Add(frames, 1.0).Build(), 2, seed: 1, columns: [1]).ForTrajectory(0).ToArray();

        labels.Take(200).Distinct().Should().ContainSingle();
        labels.Skip(200).Distinct().Should().ContainSingle().Which.Should().NotBe(labels[0]);
    }

    [Fact]
    public void KMeans_BadArguments_AreRefused()
    {
        var data = TrajectorySet.Create().Add(new double[5, 2], 1.0).Build();

        FluentActions.Invoking(() => InitialLabels.KMeans(data, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("clusters");
        FluentActions.Invoking(() => InitialLabels.KMeans(data, 6)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("clusters");
        FluentActions.Invoking(() => InitialLabels.KMeans(data, 2, columns: [2])).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("columns");
    }

    [Fact]
    public void Grid_NumbersCellsWithTheFirstColumnSlowest()
    {
        // x spans [0, 2], y spans [0, 3]; 2 x 3 cells of width 1.
        var frames = new double[,] { { 0, 0 }, { 2, 3 }, { 0.5, 2.5 }, { 1.5, 0.5 } };

        var labels = InitialLabels.Grid(TrajectorySet.Create().Add(frames, 1.0).Build(), [2, 3]).ForTrajectory(0).ToArray();

        labels.Should().Equal(0, 5, 2, 3);
    }

    [Fact]
    public void Grid_BinsAndColumnsMismatch_IsRefused()
    {
        var data = TrajectorySet.Create().Add(new double[4, 2], 1.0).Build();

        var act = () => InitialLabels.Grid(data, [2, 2], [0]);

        act.Should().Throw<ArgumentException>().WithParameterName("binsPerColumn");
    }
}

public class StandardizerTests
{
    [Fact]
    public void Fit_PoolsMeanAndPopulationStdOverAllTrajectories()
    {
        var data = TrajectorySet.Create()
            .Add(new double[,] { { 1, 5 }, { 3, 5 } }, 1.0)
            .Add(new double[,] { { 5, 5 }, { 7, 5 } }, 2.0)
            .Build();

        var standardizer = Standardizer.Fit(data);

        standardizer.Mean.Should().Equal(4, 5);
        standardizer.Scale[0].Should().BeApproximately(Math.Sqrt(5), 1e-12);
        standardizer.Scale[1].Should().Be(1, "a constant feature is left unscaled");
        var frame = new double[] { 6, 5 };
        standardizer.ApplyInPlace(frame);
        frame[0].Should().BeApproximately(2 / Math.Sqrt(5), 1e-12);
        frame[1].Should().Be(0);
    }

    [Fact]
    public void Constructor_NonPositiveScale_IsRefused()
    {
        var act = () => new Standardizer([0.0], [0.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("scale");
    }
}

public class DataSplitTests
{
    [Fact]
    public void Random_CutsDisjointPartsOfTheRightSizes()
    {
        var split = DataSplit.Random(1000, 0.6, 0.2, seed: 4);

        split.Train.Should().HaveCount(600);
        split.Test.Should().HaveCount(200);
        split.Validation.Should().HaveCount(200);
        split.Train.Concat(split.Test).Concat(split.Validation).Should().BeEquivalentTo(Enumerable.Range(0, 1000));
    }

    [Fact]
    public void Random_IsSeeded()
    {
        DataSplit.Random(100, seed: 1).Train.Should().Equal(DataSplit.Random(100, seed: 1).Train);
        DataSplit.Random(100, seed: 1).Train.Should().NotEqual(DataSplit.Random(100, seed: 2).Train);
    }

    [Fact]
    public void Random_BadFractions_AreRefused()
    {
        FluentActions.Invoking(() => DataSplit.Random(10, 0, 0.2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("trainFraction");
        FluentActions.Invoking(() => DataSplit.Random(10, 0.9, 0.2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("testFraction");
    }
}

public class TimeLaggedPairsTests
{
    [Fact]
    public void Build_PairsStayInsideEachTrajectory()
    {
        var data = TrajectorySet.Create()
            .Add(new double[5, 1], 0.2, weights: [1, 2, 3, 4, 5])
            .Add(new double[4, 1], 0.5)
            .Build();
        var labels = InitialLabels.FromArrays(data, [[0, 1, 2, 3, 4], [5, 6, 7, 8]]);

        var pairs = TimeLaggedPairs.Build(data, labels, lag: 2);

        pairs.Count.Should().Be(5);
        pairs.InputFrame.Should().Equal(0, 1, 2, 5, 6);
        pairs.FutureFrame.Should().Equal(2, 3, 4, 7, 8);
        pairs.FutureLabel.Should().Equal(2, 3, 4, 7, 8);
        pairs.Weight.Should().Equal(1, 2, 3, 1, 1);
        pairs.Temperature.Should().Equal(0.2, 0.2, 0.2, 0.5, 0.5);
    }

    [Fact]
    public void Build_LagNotShorterThanATrajectory_NamesLagAndTheTrajectory()
    {
        var data = TrajectorySet.Create().Add(new double[10, 1], 1.0).Add(new double[3, 1], 1.0, name: "short run").Build();
        var labels = InitialLabels.FromArrays(data, [[0, 1, 0, 1, 0, 1, 0, 1, 0, 1], [0, 1, 0]]);

        var act = () => TimeLaggedPairs.Build(data, labels, lag: 3);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lag").WithMessage("*short run has only 3 frames*");
    }

    [Fact]
    public void Build_LagBelowOne_IsRefused()
    {
        var data = TrajectorySet.Create().Add(new double[4, 1], 1.0).Build();
        var labels = InitialLabels.FromArray(data, [0, 1, 0, 1]);

        var act = () => TimeLaggedPairs.Build(data, labels, lag: 0);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lag");
    }
}
