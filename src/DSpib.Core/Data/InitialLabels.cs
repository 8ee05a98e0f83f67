using System.Globalization;

namespace DSpib.Data;

/// <summary>
/// Makes the initial state labels SPIB starts from: given by the user, from k-means clusters, or from a regular grid.
/// SPIB then merges and moves these states until they are metastable, so a fine initial partition (tens to a hundred
/// states) over a few order parameters is the usual choice.
/// </summary>
public static class InitialLabels
{
    /// <summary>Labels given by the user, one array per trajectory.</summary>
    /// <param name="data">The trajectories the labels belong to.</param>
    /// <param name="labels">One array of non-negative labels per trajectory, one label per frame.</param>
    public static StateLabels FromArrays(TrajectorySet data, IReadOnlyList<int[]> labels)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labels);
        var copies = new int[labels.Count][];
        for (var i = 0; i < labels.Count; i++)
        {
            var trajectoryLabels = labels[i] ?? throw new ArgumentException($"The labels of trajectory {i} are null.", nameof(labels));
            for (var n = 0; n < trajectoryLabels.Length; n++)
            {
                if (trajectoryLabels[n] < 0)
                {
                    throw new ArgumentException(
                        string.Create(CultureInfo.InvariantCulture, $"Label {n} of trajectory {i} is {trajectoryLabels[n]}; labels must be non-negative state indices."),
                        nameof(labels));
                }
            }

            copies[i] = (int[])trajectoryLabels.Clone();
        }

        var result = new StateLabels(copies);
        result.EnsureMatches(data, nameof(labels));
        return result;
    }

    /// <summary>Labels given by the user as one array over all frames, in trajectory order.</summary>
    /// <param name="data">The trajectories the labels belong to.</param>
    /// <param name="labels">One non-negative label per frame of the whole set.</param>
    public static StateLabels FromArray(TrajectorySet data, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != data.TotalFrames)
        {
            throw new ArgumentException($"The data has {data.TotalFrames} frames in all but {labels.Count} labels were given; give one label per frame.", nameof(labels));
        }

        var split = new int[data.Trajectories.Count][];
        var offset = 0;
        for (var i = 0; i < split.Length; i++)
        {
            split[i] = new int[data.Trajectories[i].FrameCount];
            for (var n = 0; n < split[i].Length; n++)
            {
                split[i][n] = labels[offset + n];
            }

            offset += split[i].Length;
        }

        return FromArrays(data, split);
    }

    /// <summary>
    /// Clusters frames with k-means (k-means++ seeding, Lloyd iterations) and labels each frame by its cluster.
    /// </summary>
    /// <param name="data">Frames to cluster. To cluster on order parameters rather than the descriptors, build a
    /// <see cref="TrajectorySet"/> of the order parameters with the same frame counts and pass it here.</param>
    /// <param name="clusters">Number of clusters (at least 2; 100 in the reference set-up).</param>
    /// <param name="seed">Seed of the k-means++ initialisation; the same seed gives the same labels.</param>
    /// <param name="columns">Columns of the frames to cluster on; all when <see langword="null"/>.</param>
    /// <param name="maxIterations">Largest number of Lloyd iterations.</param>
    public static StateLabels KMeans(TrajectorySet data, int clusters, int seed = 42, IReadOnlyList<int>? columns = null, int maxIterations = 300)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxIterations, 1);
        var selected = SelectColumns(data, columns, nameof(columns));
        if (clusters > data.TotalFrames)
        {
            throw new ArgumentOutOfRangeException(nameof(clusters), clusters, $"Cannot make {clusters} clusters from {data.TotalFrames} frames.");
        }

        var points = Gather(data, selected);
        var assignment = Internal.KMeansClustering.Fit(points, selected.Length, clusters, seed, maxIterations).Assignment;
        return SplitByTrajectory(data, assignment);
    }

    /// <summary>
    /// Labels each frame by the cell of a regular grid it falls in, over the range the data spans in each chosen column.
    /// Cells are numbered with the first column varying slowest.
    /// </summary>
    /// <param name="data">Frames to label.</param>
    /// <param name="binsPerColumn">Number of cells along each chosen column (each at least 1; the product at least 2).</param>
    /// <param name="columns">Columns that span the grid; the first <c>binsPerColumn.Count</c> columns when <see langword="null"/>.</param>
    public static StateLabels Grid(TrajectorySet data, IReadOnlyList<int> binsPerColumn, IReadOnlyList<int>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(binsPerColumn);
        columns ??= Enumerable.Range(0, binsPerColumn.Count).ToArray();
        if (columns.Count != binsPerColumn.Count)
        {
            throw new ArgumentException($"{binsPerColumn.Count} bin counts were given for {columns.Count} columns; give one bin count per column.", nameof(binsPerColumn));
        }

        var selected = SelectColumns(data, columns, nameof(columns));
        foreach (var bins in binsPerColumn)
        {
            if (bins < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(binsPerColumn), bins, "Every column needs at least one bin.");
            }
        }

        // Stop multiplying once past int.MaxValue: the factors are below 2^31, so the running product stays below 2^62
        // and cannot wrap around to a small, seemingly valid cell count.
        long cells = 1;
        foreach (var bins in binsPerColumn)
        {
            cells *= bins;
            if (cells > int.MaxValue)
            {
                break;
            }
        }

        if (cells < 2 || cells > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(binsPerColumn), cells, "The grid must have between 2 and int.MaxValue cells.");
        }

        var points = Gather(data, selected);
        var dimension = selected.Length;
        var min = new double[dimension];
        var max = new double[dimension];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        for (var i = 0; i < points.Length; i++)
        {
            var d = i % dimension;
            min[d] = Math.Min(min[d], points[i]);
            max[d] = Math.Max(max[d], points[i]);
        }

        var assignment = new int[points.Length / dimension];
        for (var n = 0; n < assignment.Length; n++)
        {
            var cell = 0;
            for (var d = 0; d < dimension; d++)
            {
                var bins = binsPerColumn[d];
                var width = (max[d] - min[d]) / bins;
                var bin = width > 0 ? (int)((points[(n * dimension) + d] - min[d]) / width) : 0;
                cell = (cell * bins) + Math.Clamp(bin, 0, bins - 1);
            }

            assignment[n] = cell;
        }

        return SplitByTrajectory(data, assignment);
    }

    private static int[] SelectColumns(TrajectorySet data, IReadOnlyList<int>? columns, string argumentName)
    {
        if (columns is null)
        {
            return Enumerable.Range(0, data.FeatureCount).ToArray();
        }

        if (columns.Count == 0)
        {
            throw new ArgumentException("At least one column must be selected.", argumentName);
        }

        foreach (var column in columns)
        {
            if (column < 0 || column >= data.FeatureCount)
            {
                throw new ArgumentOutOfRangeException(argumentName, column, $"Column indices must be in 0..{data.FeatureCount - 1} for data with {data.FeatureCount} features.");
            }
        }

        return columns.ToArray();
    }

    private static double[] Gather(TrajectorySet data, int[] columns)
    {
        var points = new double[(long)data.TotalFrames * columns.Length];
        var position = 0;
        foreach (var trajectory in data.Trajectories)
        {
            var frames = trajectory.Frames;
            for (var n = 0; n < trajectory.FrameCount; n++)
            {
                foreach (var column in columns)
                {
                    points[position++] = frames[(n * trajectory.FeatureCount) + column];
                }
            }
        }

        return points;
    }

    private static StateLabels SplitByTrajectory(TrajectorySet data, int[] assignment)
    {
        var labels = new int[data.Trajectories.Count][];
        var offset = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = assignment.AsSpan(offset, data.Trajectories[i].FrameCount).ToArray();
            offset += labels[i].Length;
        }

        var result = new StateLabels(labels);
        result.EnsureMatches(data, nameof(data));
        return result;
    }
}
