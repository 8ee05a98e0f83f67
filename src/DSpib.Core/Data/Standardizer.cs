namespace DSpib.Data;

/// <summary>
/// Per-feature shift and scale applied to frames before they reach the encoder: the mean and standard deviation
/// pooled over all frames of all trajectories. It is part of a trained model and is applied by <c>Encode</c>.
/// </summary>
public sealed class Standardizer
{
    private readonly double[] _mean;
    private readonly double[] _scale;

    /// <summary>Creates a standardiser from explicit means and scales.</summary>
    /// <param name="mean">Per-feature mean subtracted from each frame.</param>
    /// <param name="scale">Per-feature positive scale each centred value is divided by.</param>
    public Standardizer(IReadOnlyList<double> mean, IReadOnlyList<double> scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Count != scale.Count || mean.Count == 0)
        {
            throw new ArgumentException($"Give one mean and one scale per feature ({mean.Count} means, {scale.Count} scales).", nameof(scale));
        }

        if (mean.Any(m => !double.IsFinite(m)))
        {
            throw new ArgumentException("Every mean must be finite.", nameof(mean));
        }

        if (scale.Any(s => !double.IsFinite(s) || s <= 0))
        {
            throw new ArgumentException("Every scale must be positive and finite.", nameof(scale));
        }

        _mean = mean.ToArray();
        _scale = scale.ToArray();
    }

    /// <summary>Number of features.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Per-feature means.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Per-feature scales (standard deviations; 1 where a feature is constant).</summary>
    public IReadOnlyList<double> Scale => _scale;

    /// <summary>Pools the mean and standard deviation of every feature over all frames of <paramref name="data"/>.</summary>
    /// <param name="data">The training trajectories.</param>
    public static Standardizer Fit(TrajectorySet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var features = data.FeatureCount;
        var mean = new double[features];
        var m2 = new double[features];
        long count = 0;

        // Welford's update keeps the variance accurate for descriptors with a large offset.
        foreach (var trajectory in data.Trajectories)
        {
            var frames = trajectory.Frames;
            for (var n = 0; n < trajectory.FrameCount; n++)
            {
                count++;
                for (var j = 0; j < features; j++)
                {
                    var value = frames[(n * features) + j];
                    var delta = value - mean[j];
                    mean[j] += delta / count;
                    m2[j] += delta * (value - mean[j]);
                }
            }
        }

        var scale = new double[features];
        for (var j = 0; j < features; j++)
        {
            var std = Math.Sqrt(m2[j] / count);

            // A constant feature carries no information; dividing by 1 keeps it finite instead of NaN.
            scale[j] = std > 1e-12 * Math.Max(1.0, Math.Abs(mean[j])) ? std : 1.0;
        }

        return new Standardizer(mean, scale);
    }

    /// <summary>Standardises row-major frames in place.</summary>
    /// <param name="frames">Row-major frames with <see cref="FeatureCount"/> columns.</param>
    public void ApplyInPlace(Span<double> frames)
    {
        if (frames.Length % _mean.Length != 0)
        {
            throw new ArgumentException($"The frames have {frames.Length} values, not a multiple of the {_mean.Length} features.", nameof(frames));
        }

        for (var i = 0; i < frames.Length; i++)
        {
            var j = i % _mean.Length;
            frames[i] = (frames[i] - _mean[j]) / _scale[j];
        }
    }
}
