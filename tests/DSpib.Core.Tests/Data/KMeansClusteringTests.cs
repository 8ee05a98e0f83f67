using DSpib.Internal;

namespace DSpib.Core.Tests.Data;

public class KMeansClusteringTests
{
    private static readonly double[] TwoPairs = [0.0, 1.0, 10.0, 11.0];

    [Fact]
    public void Fit_TwoObviousGroups_CentersAreGroupMeans()
    {
        var result = KMeansClustering.Fit(TwoPairs, 1, 2, seed: 1, maxIterations: 100);

        result.Centers.Order().Should().Equal(0.5, 10.5);
        DataFactory.ShouldBeSamePartition(result.Assignment, [0, 0, 1, 1]);
    }

    [Fact]
    public void Fit_AssignmentPointsToNearestCenter()
    {
        var result = KMeansClustering.Fit(TwoPairs, 1, 2, seed: 1, maxIterations: 100);

        for (var n = 0; n < TwoPairs.Length; n++)
        {
            var distances = result.Centers.Select(c => Math.Abs(c - TwoPairs[n])).ToArray();
            result.Assignment[n].Should().Be(Array.IndexOf(distances, distances.Min()));
        }
    }

    [Fact]
    public void Fit_TwoDimensionalPoints_UsesRowMajorLayout()
    {
        // Rows (0, 0), (0, 1), (50, 0), (50, 1): the groups differ in the first coordinate only.
        double[] points = [0, 0, 0, 1, 50, 0, 50, 1];

        var result = KMeansClustering.Fit(points, 2, 2, seed: 3, maxIterations: 100);

        DataFactory.ShouldBeSamePartition(result.Assignment, [0, 0, 1, 1]);
        var centers = new[] { (result.Centers[0], result.Centers[1]), (result.Centers[2], result.Centers[3]) }.Order().ToArray();
        centers.Should().Equal((0.0, 0.5), (50.0, 0.5));
    }

    [Fact]
    public void Fit_MoreClustersThanDistinctPoints_KeepsLabelsInRangeAndGroupsDuplicates()
    {
        double[] points = [0, 0, 0, 5, 5, 5];

        var result = KMeansClustering.Fit(points, 1, 3, seed: 2, maxIterations: 20);

        result.Assignment.Should().OnlyContain(k => k >= 0 && k < 3);
        DataFactory.ShouldBeSamePartition(result.Assignment, [0, 0, 0, 1, 1, 1]);
        result.Iterations.Should().BeLessThanOrEqualTo(20);
    }

    [Fact]
    public void Fit_ManyPointsAcrossParallelChunks_AssignsEveryPoint()
    {
        // More than one 4096-point chunk of the parallel assignment step.
        var random = new Random(8);
        var count = 10_000;
        var points = new double[count];
        var truth = new int[count];
        for (var n = 0; n < count; n++)
        {
            truth[n] = random.Next(2);
            points[n] = (truth[n] * 100.0) + random.NextDouble();
        }

        var result = KMeansClustering.Fit(points, 1, 2, seed: 4, maxIterations: 100);

        DataFactory.ShouldBeSamePartition(result.Assignment, truth);
    }

    [Fact]
    public void Fit_SameSeed_GivesIdenticalResult()
    {
        var random = new Random(9);
        var points = Enumerable.Range(0, 600).Select(_ => random.NextDouble()).ToArray();

        var first = KMeansClustering.Fit(points, 2, 6, seed: 21, maxIterations: 50);
        var second = KMeansClustering.Fit(points, 2, 6, seed: 21, maxIterations: 50);

        second.Assignment.Should().Equal(first.Assignment);
        second.Centers.Should().Equal(first.Centers);
    }
}
