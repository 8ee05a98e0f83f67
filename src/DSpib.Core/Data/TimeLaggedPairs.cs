using System.Globalization;

namespace DSpib.Data;

/// <summary>
/// The (frame n, frame n + lag) pairs SPIB learns from, built inside each trajectory so that no pair spans two
/// trajectories. Frames are referred to by their index in the concatenation of all trajectories.
/// </summary>
public sealed class TimeLaggedPairs
{
    private readonly int[] _input;
    private readonly int[] _future;
    private readonly int[] _futureLabel;
    private readonly double[] _weight;
    private readonly double[] _temperature;

    private TimeLaggedPairs(int lag, int frameCount, int[] input, int[] future, int[] futureLabel, double[] weight, double[] temperature)
    {
        Lag = lag;
        FrameCount = frameCount;
        _input = input;
        _future = future;
        _futureLabel = futureLabel;
        _weight = weight;
        _temperature = temperature;
    }

    /// <summary>The lag in frames.</summary>
    public int Lag { get; }

    /// <summary>Frames of the trajectories the pairs were built from (the range of the frame indices).</summary>
    public int FrameCount { get; }

    /// <summary>Number of pairs.</summary>
    public int Count => _input.Length;

    /// <summary>Concatenated index of each pair's input frame X[n].</summary>
    public IReadOnlyList<int> InputFrame => _input;

    /// <summary>Concatenated index of each pair's future frame X[n + lag].</summary>
    public IReadOnlyList<int> FutureFrame => _future;

    /// <summary>Initial state label of each pair's future frame.</summary>
    public IReadOnlyList<int> FutureLabel => _futureLabel;

    /// <summary>Statistical weight of each pair (the weight of its input frame).</summary>
    public IReadOnlyList<double> Weight => _weight;

    /// <summary>Temperature of each pair's trajectory.</summary>
    public IReadOnlyList<double> Temperature => _temperature;

    /// <summary>Builds all pairs at <paramref name="lag"/> frames inside each trajectory.</summary>
    /// <param name="data">The trajectories.</param>
    /// <param name="labels">Initial labels of every frame.</param>
    /// <param name="lag">Lag in frames: at least 1 and shorter than every trajectory.</param>
    public static TimeLaggedPairs Build(TrajectorySet data, StateLabels labels, int lag)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labels);
        labels.EnsureMatches(data, nameof(labels));
        ArgumentOutOfRangeException.ThrowIfLessThan(lag, 1);
        foreach (var trajectory in data.Trajectories)
        {
            if (lag >= trajectory.FrameCount)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(lag),
                    lag,
                    string.Create(CultureInfo.InvariantCulture, $"The lag must be shorter than every trajectory, but {trajectory.Name} has only {trajectory.FrameCount} frames; use a smaller lag or drop that trajectory."));
            }
        }

        var count = data.Trajectories.Sum(t => t.FrameCount - lag);
        var input = new int[count];
        var future = new int[count];
        var futureLabel = new int[count];
        var weight = new double[count];
        var temperature = new double[count];
        var pair = 0;
        var offset = 0;
        for (var i = 0; i < data.Trajectories.Count; i++)
        {
            var trajectory = data.Trajectories[i];
            var trajectoryLabels = labels.ForTrajectory(i);
            var weights = trajectory.Weights;
            for (var n = 0; n + lag < trajectory.FrameCount; n++)
            {
                input[pair] = offset + n;
                future[pair] = offset + n + lag;
                futureLabel[pair] = trajectoryLabels[n + lag];
                weight[pair] = weights[n];
                temperature[pair] = trajectory.Temperature;
                pair++;
            }

            offset += trajectory.FrameCount;
        }

        return new TimeLaggedPairs(lag, offset, input, future, futureLabel, weight, temperature);
    }
}
