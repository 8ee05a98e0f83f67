using MathNet.Numerics.Random;

namespace DSpib.Internal;

/// <summary>Lloyd's k-means with k-means++ seeding on row-major points; deterministic for a seed.</summary>
internal static class KMeansClustering
{
    public readonly record struct Result(double[] Centers, int[] Assignment, int Iterations);

    public static Result Fit(double[] points, int dimension, int clusters, int seed, int maxIterations)
    {
        var count = points.Length / dimension;
        var random = new Xoshiro256StarStar(seed);
        var centers = SeedPlusPlus(points, dimension, count, clusters, random);
        var assignment = new int[count];
        var iterations = 0;
        // Converged when no center moves by more than 1e-4 of the data's mean variance (scikit-learn's criterion).
        var tolerance = 1e-4 * MeanVariance(points, dimension, count);
        var previous = new double[centers.Length];
        for (; iterations < maxIterations; iterations++)
        {
            Assign(points, dimension, centers, clusters, assignment);
            centers.CopyTo(previous, 0);
            UpdateCenters(points, dimension, clusters, assignment, centers, random);
            if (LargestSquaredShift(previous, centers, dimension, clusters) <= tolerance)
            {
                break;
            }
        }

        Assign(points, dimension, centers, clusters, assignment);
        return new Result(centers, assignment, iterations);
    }

    private static double[] SeedPlusPlus(double[] points, int dimension, int count, int clusters, Random random)
    {
        var centers = new double[clusters * dimension];
        var nearest = new double[count];
        var first = random.Next(count);
        Array.Copy(points, first * dimension, centers, 0, dimension);
        for (var n = 0; n < count; n++)
        {
            nearest[n] = SquaredDistance(points, n, centers, 0, dimension);
        }

        for (var k = 1; k < clusters; k++)
        {
            // Pick the next center with probability proportional to the squared distance to the nearest chosen one.
            var total = 0.0;
            for (var n = 0; n < count; n++)
            {
                total += nearest[n];
            }

            var chosen = count - 1;
            if (total > 0)
            {
                var target = random.NextDouble() * total;
                var cumulative = 0.0;
                for (var n = 0; n < count; n++)
                {
                    cumulative += nearest[n];
                    if (cumulative >= target)
                    {
                        chosen = n;
                        break;
                    }
                }
            }
            else
            {
                chosen = random.Next(count);
            }

            Array.Copy(points, chosen * dimension, centers, k * dimension, dimension);
            for (var n = 0; n < count; n++)
            {
                nearest[n] = Math.Min(nearest[n], SquaredDistance(points, n, centers, k, dimension));
            }
        }

        return centers;
    }

    private static double MeanVariance(double[] points, int dimension, int count)
    {
        var total = 0.0;
        for (var d = 0; d < dimension; d++)
        {
            double mean = 0, m2 = 0;
            for (var n = 0; n < count; n++)
            {
                var delta = points[(n * dimension) + d] - mean;
                mean += delta / (n + 1);
                m2 += delta * (points[(n * dimension) + d] - mean);
            }

            total += m2 / count;
        }

        return total / dimension;
    }

    private static double LargestSquaredShift(double[] before, double[] after, int dimension, int clusters)
    {
        var largest = 0.0;
        for (var k = 0; k < clusters; k++)
        {
            largest = Math.Max(largest, SquaredDistance(before, k, after, k, dimension));
        }

        return largest;
    }

    private static void Assign(double[] points, int dimension, double[] centers, int clusters, int[] assignment)
    {
        const int Chunk = 4096;
        Parallel.For(
            0,
            (assignment.Length + Chunk - 1) / Chunk,
            chunk =>
            {
                var end = Math.Min(assignment.Length, (chunk + 1) * Chunk);
                for (var n = chunk * Chunk; n < end; n++)
                {
                    var best = 0;
                    var bestDistance = double.PositiveInfinity;
                    for (var k = 0; k < clusters; k++)
                    {
                        var distance = SquaredDistance(points, n, centers, k, dimension);
                        if (distance < bestDistance)
                        {
                            bestDistance = distance;
                            best = k;
                        }
                    }

                    assignment[n] = best;
                }
            });
    }

    private static void UpdateCenters(double[] points, int dimension, int clusters, int[] assignment, double[] centers, Random random)
    {
        var sums = new double[clusters * dimension];
        var counts = new int[clusters];
        for (var n = 0; n < assignment.Length; n++)
        {
            var k = assignment[n];
            counts[k]++;
            for (var d = 0; d < dimension; d++)
            {
                sums[(k * dimension) + d] += points[(n * dimension) + d];
            }
        }

        for (var k = 0; k < clusters; k++)
        {
            if (counts[k] == 0)
            {
                // An empty cluster is re-seeded at a random point so the requested number of clusters is kept.
                Array.Copy(points, random.Next(assignment.Length) * dimension, centers, k * dimension, dimension);
                continue;
            }

            for (var d = 0; d < dimension; d++)
            {
                centers[(k * dimension) + d] = sums[(k * dimension) + d] / counts[k];
            }
        }
    }

    private static double SquaredDistance(double[] points, int n, double[] centers, int k, int dimension)
    {
        var sum = 0.0;
        for (var d = 0; d < dimension; d++)
        {
            var delta = points[(n * dimension) + d] - centers[(k * dimension) + d];
            sum += delta * delta;
        }

        return sum;
    }
}
