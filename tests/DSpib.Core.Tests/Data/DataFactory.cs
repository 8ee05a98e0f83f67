using DSpib.Data;

namespace DSpib.Core.Tests.Data;

/// <summary>Small helpers that build trajectory sets for the data-layer tests.</summary>
internal static class DataFactory
{
    /// <summary>
    /// A set of one-feature trajectories with the given lengths; the value of each frame is its index in the
    /// concatenation of all frames, so frames can be recognised in results.
    /// </summary>
    public static TrajectorySet Sequential(params int[] lengths) => Sequential(1.0, lengths);

    /// <inheritdoc cref="Sequential(int[])"/>
    public static TrajectorySet Sequential(double temperature, params int[] lengths)
    {
        var builder = TrajectorySet.Create();
        var next = 0;
        foreach (var length in lengths)
        {
            var frames = new double[length, 1];
            for (var n = 0; n < length; n++)
            {
                frames[n, 0] = next++;
            }

            builder.Add(frames, temperature);
        }

        return builder.Build();
    }

    /// <summary>A single-trajectory set built from a frames x features matrix.</summary>
    public static TrajectorySet Single(double[,] frames, double temperature = 1.0) =>
        TrajectorySet.Create().Add(frames, temperature).Build();

    /// <summary>Labels 0, 1, 0, 1, ... for every trajectory of <paramref name="data"/>.</summary>
    public static int[][] AlternatingLabels(TrajectorySet data) =>
        data.Trajectories.Select(t => Enumerable.Range(0, t.FrameCount).Select(n => n % 2).ToArray()).ToArray();

    /// <summary>Asserts that two labellings induce the same partition (equal up to renaming the labels).</summary>
    public static void ShouldBeSamePartition(int[] actual, int[] expected)
    {
        actual.Should().HaveSameCount(expected);
        var forward = new Dictionary<int, int>();
        var backward = new Dictionary<int, int>();
        for (var i = 0; i < actual.Length; i++)
        {
            if (forward.TryGetValue(expected[i], out var mapped))
            {
                mapped.Should().Be(actual[i], "point {0} belongs with the earlier points of true group {1}", i, expected[i]);
            }
            else
            {
                forward[expected[i]] = actual[i];
            }

            if (backward.TryGetValue(actual[i], out var original))
            {
                original.Should().Be(expected[i], "label {0} at point {1} must not merge two true groups", actual[i], i);
            }
            else
            {
                backward[actual[i]] = expected[i];
            }
        }
    }
}
