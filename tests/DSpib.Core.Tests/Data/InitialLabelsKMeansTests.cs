using DSpib.Data;

namespace DSpib.Core.Tests.Data;

public class InitialLabelsKMeansTests
{
    private const int PointsPerBlob = 300;

    private static readonly double[,] BlobCenters = { { 0.0, 0.0 }, { 25.0, 0.0 }, { 0.0, 25.0 } };

    private static readonly int[] ColumnOne = [1];

    private static double Gaussian(Random random)
    {
        // Box-Muller transform; 1 - NextDouble() is in (0, 1] so the logarithm is finite.
        var u = 1.0 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    /// <summary>Three unit-variance 2-D blobs with interleaved points, split over trajectories of 500 and 400 frames.</summary>
    private static (TrajectorySet Data, int[] Truth) Blobs()
    {
        var random = new Random(1234);
        var count = 3 * PointsPerBlob;
        var frames = new double[count, 2];
        var truth = new int[count];
        for (var n = 0; n < count; n++)
        {
            var blob = n % 3;
            truth[n] = blob;
            frames[n, 0] = BlobCenters[blob, 0] + Gaussian(random);
            frames[n, 1] = BlobCenters[blob, 1] + Gaussian(random);
        }

        var first = new double[500, 2];
        var second = new double[count - 500, 2];
        for (var n = 0; n < count; n++)
        {
            var target = n < 500 ? first : second;
            var row = n < 500 ? n : n - 500;
            target[row, 0] = frames[n, 0];
            target[row, 1] = frames[n, 1];
        }

        var data = TrajectorySet.Create().Add(first, 1.0).Add(second, 1.0).Build();
        return (data, truth);
    }

    [Fact]
    public void KMeans_WellSeparatedBlobs_RecoversTheBlobs()
    {
        var (data, truth) = Blobs();

        var labels = InitialLabels.KMeans(data, 3, seed: 7);

        labels.OccupiedStateCount.Should().Be(3);
        labels.StateCount.Should().Be(3);
        DataFactory.ShouldBeSamePartition(labels.ToConcatenatedArray(), truth);
    }

    [Fact]
    public void KMeans_SeveralTrajectories_SplitsLabelsByTrajectoryLength()
    {
        var (data, _) = Blobs();

        var labels = InitialLabels.KMeans(data, 3, seed: 7);

        labels.TrajectoryCount.Should().Be(2);
        labels.ForTrajectory(0).Length.Should().Be(500);
        labels.ForTrajectory(1).Length.Should().Be(400);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(99)]
    public void KMeans_DifferentSeeds_StillRecoverTheBlobs(int seed)
    {
        var (data, truth) = Blobs();

        var labels = InitialLabels.KMeans(data, 3, seed);

        DataFactory.ShouldBeSamePartition(labels.ToConcatenatedArray(), truth);
    }

    [Fact]
    public void KMeans_SameSeed_GivesIdenticalLabels()
    {
        // Five clusters on three blobs: the split of the blobs depends on the seeding, so determinism is observable.
        var (data, _) = Blobs();

        var first = InitialLabels.KMeans(data, 5, seed: 11).ToConcatenatedArray();
        var second = InitialLabels.KMeans(data, 5, seed: 11).ToConcatenatedArray();

        second.Should().Equal(first);
    }

    [Fact]
    public void KMeans_DifferentSeed_GivesDifferentLabels()
    {
        var (data, _) = Blobs();

        var first = InitialLabels.KMeans(data, 5, seed: 11).ToConcatenatedArray();
        var second = InitialLabels.KMeans(data, 5, seed: 12).ToConcatenatedArray();

        second.Should().NotEqual(first);
    }

    [Fact]
    public void KMeans_SelectedColumn_ClustersOnThatColumnOnly()
    {
        // Column 0 is two far-apart groups (at -100 and +100) that do not match the truth; column 1 holds the truth.
        var random = new Random(5);
        var count = 200;
        var frames = new double[count, 2];
        var truth = new int[count];
        for (var n = 0; n < count; n++)
        {
            truth[n] = n % 2;
            frames[n, 0] = (random.Next(2) == 0 ? -100.0 : 100.0) + Gaussian(random);
            frames[n, 1] = (truth[n] * 10.0) + (0.5 * Gaussian(random));
        }

        var data = DataFactory.Single(frames);

        var onColumnOne = InitialLabels.KMeans(data, 2, seed: 3, columns: ColumnOne).ToConcatenatedArray();
        var onAllColumns = InitialLabels.KMeans(data, 2, seed: 3).ToConcatenatedArray();

        DataFactory.ShouldBeSamePartition(onColumnOne, truth);
        FluentActions.Invoking(() => DataFactory.ShouldBeSamePartition(onAllColumns, truth))
            .Should().Throw<Exception>("clustering on every column follows the large column-0 groups");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-3)]
    public void KMeans_FewerThanTwoClusters_ThrowsNamingClusters(int tooFew)
    {
        FluentActions.Invoking(() => InitialLabels.KMeans(DataFactory.Sequential(5), tooFew))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("clusters");
    }

    [Fact]
    public void KMeans_MoreClustersThanFrames_ThrowsNamingClusters()
    {
        FluentActions.Invoking(() => InitialLabels.KMeans(DataFactory.Sequential(2, 3), 6))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("clusters")
            .WithMessage("*6 clusters from 5 frames*");
    }

    [Fact]
    public void KMeans_AsManyClustersAsFrames_GivesEveryFrameItsOwnLabel()
    {
        var labels = InitialLabels.KMeans(DataFactory.Sequential(2, 3), 5).ToConcatenatedArray();

        labels.Should().OnlyHaveUniqueItems();
        labels.Should().OnlyContain(l => l >= 0 && l < 5);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(-1)]
    public void KMeans_ColumnOutOfRange_ThrowsNamingColumns(int column)
    {
        var data = DataFactory.Single(new double[,] { { 0, 1 }, { 2, 3 }, { 4, 5 } });

        FluentActions.Invoking(() => InitialLabels.KMeans(data, 2, columns: [column]))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("columns");
    }

    [Fact]
    public void KMeans_NoColumns_ThrowsNamingColumns()
    {
        FluentActions.Invoking(() => InitialLabels.KMeans(DataFactory.Sequential(5), 2, columns: []))
            .Should().Throw<ArgumentException>()
            .WithParameterName("columns");
    }

    [Fact]
    public void KMeans_NoIterations_ThrowsNamingMaxIterations()
    {
        FluentActions.Invoking(() => InitialLabels.KMeans(DataFactory.Sequential(5), 2, maxIterations: 0))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("maxIterations");
    }
}
