using System.Globalization;

namespace DSpib.Data;

/// <summary>
/// A metastable-state label for every frame of every trajectory of a <see cref="TrajectorySet"/>.
/// Labels are non-negative integers; make them with <see cref="InitialLabels"/>.
/// </summary>
public sealed class StateLabels
{
    private readonly int[][] _labels;

    internal StateLabels(int[][] labels)
    {
        _labels = labels;
        var max = -1;
        var present = new HashSet<int>();
        foreach (var trajectory in labels)
        {
            foreach (var label in trajectory)
            {
                present.Add(label);
                max = Math.Max(max, label);
            }
        }

        StateCount = max + 1;
        OccupiedStateCount = present.Count;
    }

    /// <summary>Number of trajectories labelled.</summary>
    public int TrajectoryCount => _labels.Length;

    /// <summary>One more than the largest label: the size of the label alphabet.</summary>
    public int StateCount { get; }

    /// <summary>Number of distinct labels that actually occur.</summary>
    public int OccupiedStateCount { get; }

    /// <summary>The labels of one trajectory.</summary>
    /// <param name="trajectory">Zero-based trajectory index.</param>
    public ReadOnlySpan<int> ForTrajectory(int trajectory)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trajectory);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(trajectory, _labels.Length);
        return _labels[trajectory];
    }

    /// <summary>All labels concatenated in trajectory order.</summary>
    public int[] ToConcatenatedArray() => _labels.SelectMany(l => l).ToArray();

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="argumentName"/> unless these labels fit <paramref name="data"/>.</summary>
    internal void EnsureMatches(TrajectorySet data, string argumentName)
    {
        if (_labels.Length != data.Trajectories.Count)
        {
            throw new ArgumentException($"The labels cover {_labels.Length} trajectories but the data has {data.Trajectories.Count}; give labels for every trajectory, in the same order.", argumentName);
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (_labels[i].Length != data.Trajectories[i].FrameCount)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{data.Trajectories[i].Name} has {data.Trajectories[i].FrameCount} frames but {_labels[i].Length} labels; give one label per frame."),
                    argumentName);
            }
        }

        if (OccupiedStateCount < 2)
        {
            throw new ArgumentException($"The labels name only {OccupiedStateCount} state; SPIB needs at least 2 initial states (typically 10-100 k-means clusters or grid cells).", argumentName);
        }
    }
}
