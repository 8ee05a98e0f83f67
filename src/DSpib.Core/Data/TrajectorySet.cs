namespace DSpib.Data;

/// <summary>
/// The training data: one or more trajectories with the same descriptors, each at its own temperature.
/// Build one with <see cref="Create"/>.
/// </summary>
public sealed class TrajectorySet
{
    private readonly Trajectory[] _trajectories;
    private readonly double[] _temperatures;

    internal TrajectorySet(Trajectory[] trajectories)
    {
        _trajectories = trajectories;
        FeatureCount = trajectories[0].FeatureCount;
        TotalFrames = trajectories.Sum(t => t.FrameCount);
        _temperatures = trajectories.Select(t => t.Temperature).Distinct().Order().ToArray();
    }

    /// <summary>Starts a fluent builder.</summary>
    public static TrajectorySetBuilder Create() => new();

    /// <summary>The trajectories, in the order they were added.</summary>
    public IReadOnlyList<Trajectory> Trajectories => _trajectories;

    /// <summary>Number of descriptors per frame (the same in every trajectory).</summary>
    public int FeatureCount { get; }

    /// <summary>Total number of frames over all trajectories.</summary>
    public int TotalFrames { get; }

    /// <summary>The distinct temperatures present, in increasing order.</summary>
    public IReadOnlyList<double> Temperatures => _temperatures;

    /// <summary>Index of the first frame of trajectory <paramref name="trajectory"/> in the concatenation of all frames.</summary>
    /// <param name="trajectory">Zero-based trajectory index.</param>
    public int FrameOffset(int trajectory)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trajectory);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(trajectory, _trajectories.Length);
        var offset = 0;
        for (var i = 0; i < trajectory; i++)
        {
            offset += _trajectories[i].FrameCount;
        }

        return offset;
    }

    /// <summary>All frames of all trajectories concatenated, row-major (TotalFrames x FeatureCount).</summary>
    internal double[] ConcatenatedFrames()
    {
        var result = new double[(long)TotalFrames * FeatureCount];
        var position = 0;
        foreach (var trajectory in _trajectories)
        {
            trajectory.Frames.CopyTo(result.AsSpan(position));
            position += trajectory.Frames.Length;
        }

        return result;
    }

    /// <summary>A new set with only the trajectories at <paramref name="temperature"/>.</summary>
    /// <param name="temperature">One of <see cref="Temperatures"/>.</param>
    public TrajectorySet AtTemperature(double temperature)
    {
        var selected = _trajectories.Where(t => t.Temperature == temperature).ToArray();
        if (selected.Length == 0)
        {
            throw new ArgumentException($"No trajectory has temperature {temperature}; the set has {string.Join(", ", _temperatures)}.", nameof(temperature));
        }

        return new TrajectorySet(selected);
    }
}
