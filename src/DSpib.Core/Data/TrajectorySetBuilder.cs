using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace DSpib.Data;

/// <summary>
/// Fluent builder of a <see cref="TrajectorySet"/>. Every frame matrix is copied and checked on
/// <c>Add</c>, so a bad trajectory is reported at the call that added it. Like every builder of the library,
/// <see cref="Build"/> may be called again: each call makes a set of the trajectories added so far.
/// </summary>
public sealed class TrajectorySetBuilder
{
    private readonly List<Trajectory> _trajectories = [];
    internal TrajectorySetBuilder()
    {
    }

    /// <summary>Adds a trajectory given as a frames x features matrix.</summary>
    /// <param name="frames">Frames x features descriptors.</param>
    /// <param name="temperature">k_B T of the simulation (positive, finite).</param>
    /// <param name="weights">Optional per-frame weights (non-negative, finite, not all zero); all 1 when omitted.</param>
    /// <param name="name">Optional name used in messages.</param>
    public TrajectorySetBuilder Add(double[,] frames, double temperature, double[]? weights = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return AddRowMajor(Flatten(frames), frames.GetLength(0), frames.GetLength(1), temperature, weights, name, nameof(frames));
    }

    /// <summary>Adds a trajectory given as a frames x features single-precision matrix.</summary>
    /// <inheritdoc cref="Add(double[,], double, double[], string)" />
    public TrajectorySetBuilder Add(float[,] frames, double temperature, double[]? weights = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return AddRowMajor(Flatten(frames), frames.GetLength(0), frames.GetLength(1), temperature, weights, name, nameof(frames));
    }

    /// <summary>Adds a trajectory given as one array per frame (all of the same length).</summary>
    /// <inheritdoc cref="Add(double[,], double, double[], string)" />
    public TrajectorySetBuilder Add(IReadOnlyList<double[]> frames, double temperature, double[]? weights = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var columns = frames.Count == 0 ? 0 : frames[0]?.Length ?? 0;
        var data = new double[frames.Count * columns];
        for (var n = 0; n < frames.Count; n++)
        {
            var row = frames[n] ?? throw new ArgumentException($"Frame {n} is null.", nameof(frames));
            if (row.Length != columns)
            {
                throw new ArgumentException($"Frame {n} has {row.Length} values but frame 0 has {columns}; every frame needs the same number of descriptors.", nameof(frames));
            }

            row.CopyTo(data, n * columns);
        }

        return AddRowMajor(data, frames.Count, columns, temperature, weights, name, nameof(frames));
    }

    /// <summary>Adds a trajectory given as one single-precision array per frame (all of the same length).</summary>
    /// <inheritdoc cref="Add(double[,], double, double[], string)" />
    public TrajectorySetBuilder Add(IReadOnlyList<float[]> frames, double temperature, double[]? weights = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return Add(frames.Select(f => f is null ? null! : Array.ConvertAll(f, v => (double)v)).ToArray(), temperature, weights, name);
    }

    /// <summary>Adds a trajectory given as a MathNet matrix (frames x features).</summary>
    /// <inheritdoc cref="Add(double[,], double, double[], string)" />
    public TrajectorySetBuilder Add(Matrix<double> frames, double temperature, double[]? weights = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return Add(frames.ToArray(), temperature, weights, name);
    }

    /// <summary>Adds a trajectory given as a single-precision MathNet matrix (frames x features).</summary>
    /// <inheritdoc cref="Add(double[,], double, double[], string)" />
    public TrajectorySetBuilder Add(Matrix<float> frames, double temperature, double[]? weights = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(frames);
        return Add(frames.ToArray(), temperature, weights, name);
    }

    /// <summary>Creates a set of the trajectories added so far (at least one); the builder can go on adding for later sets.</summary>
    public TrajectorySet Build()
    {
        if (_trajectories.Count == 0)
        {
            throw new InvalidOperationException("The trajectory set is empty: add at least one trajectory with Add(frames, temperature) before Build().");
        }

        return new TrajectorySet([.. _trajectories]);
    }

    private TrajectorySetBuilder AddRowMajor(double[] data, int rows, int columns, double temperature, double[]? weights, string? name, string framesArgument)
    {
        var label = name ?? string.Create(CultureInfo.InvariantCulture, $"trajectory {_trajectories.Count}");
        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException($"{label} is empty ({rows} frames x {columns} features); every trajectory needs at least one frame and one descriptor.", framesArgument);
        }

        if (double.IsNaN(temperature) || double.IsInfinity(temperature) || temperature <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"The temperature of {label} must be a positive finite k_B T.");
        }

        if (_trajectories.Count > 0 && _trajectories[0].FeatureCount != columns)
        {
            throw new ArgumentException(
                $"{label} has {columns} features but {_trajectories[0].Name} has {_trajectories[0].FeatureCount}; all trajectories must have the same descriptors.",
                framesArgument);
        }

        for (var i = 0; i < data.Length; i++)
        {
            if (!double.IsFinite(data[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"{label} has a non-finite value ({data[i]}) at frame {i / columns}, feature {i % columns}; remove or repair such frames first."),
                    framesArgument);
            }
        }

        var weightCopy = ValidateWeights(weights, rows, label);
        _trajectories.Add(new Trajectory(data, rows, columns, temperature, weightCopy, label));
        return this;
    }

    private static double[] Flatten<T>(T[,] frames)
        where T : IConvertible
    {
        var flat = Internal.ArrayViews.AsReadOnlySpan(frames);
        var data = new double[flat.Length];
        for (var i = 0; i < flat.Length; i++)
        {
            data[i] = flat[i].ToDouble(System.Globalization.CultureInfo.InvariantCulture);
        }

        return data;
    }

    private static double[] ValidateWeights(double[]? weights, int rows, string label)
    {
        if (weights is null)
        {
            var ones = new double[rows];
            Array.Fill(ones, 1.0);
            return ones;
        }

        if (weights.Length != rows)
        {
            throw new ArgumentException($"{label} has {rows} frames but {weights.Length} weights; give one weight per frame.", nameof(weights));
        }

        var any = false;
        for (var i = 0; i < weights.Length; i++)
        {
            if (!double.IsFinite(weights[i]) || weights[i] < 0)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Weight {i} of {label} is {weights[i]}; weights must be finite and non-negative."),
                    nameof(weights));
            }

            any |= weights[i] > 0;
        }

        if (!any)
        {
            throw new ArgumentException($"All weights of {label} are zero; at least one frame must have a positive weight.", nameof(weights));
        }

        return (double[])weights.Clone();
    }
}
