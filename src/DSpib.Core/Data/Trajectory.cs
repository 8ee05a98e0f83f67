namespace DSpib.Data;

/// <summary>
/// One simulation trajectory: consecutive frames of descriptors sampled at a fixed interval, at one temperature.
/// Immutable; values are validated finite when the trajectory is created.
/// </summary>
public sealed class Trajectory
{
    private readonly double[] _frames;
    private readonly double[] _weights;

    internal Trajectory(double[] frames, int frameCount, int featureCount, double temperature, double[] weights, string name)
    {
        _frames = frames;
        _weights = weights;
        FrameCount = frameCount;
        FeatureCount = featureCount;
        Temperature = temperature;
        Name = name;
    }

    /// <summary>Name used in messages and reports (the file name, or "trajectory i").</summary>
    public string Name { get; }

    /// <summary>Number of frames.</summary>
    public int FrameCount { get; }

    /// <summary>Number of descriptors per frame.</summary>
    public int FeatureCount { get; }

    /// <summary>Temperature of the simulation, as k_B T in the user's energy units (positive).</summary>
    public double Temperature { get; }

    /// <summary>Frames in row-major order: element (frame n, feature j) is at <c>n * FeatureCount + j</c>.</summary>
    public ReadOnlySpan<double> Frames => _frames;

    /// <summary>Per-frame statistical weights (all 1 unless given, for example to reweight biased sampling).</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>One frame's descriptors.</summary>
    /// <param name="frame">Zero-based frame index.</param>
    public ReadOnlySpan<double> Frame(int frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, FrameCount);
        return _frames.AsSpan(frame * FeatureCount, FeatureCount);
    }

    /// <summary>A copy of the frames as a frames x features matrix.</summary>
    public double[,] ToMatrix()
    {
        var result = new double[FrameCount, FeatureCount];
        _frames.AsSpan().CopyTo(Internal.ArrayViews.AsSpan(result));
        return result;
    }
}
