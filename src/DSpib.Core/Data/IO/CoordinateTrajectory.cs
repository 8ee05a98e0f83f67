namespace DSpib.Data.IO;

/// <summary>
/// Atom positions of a trajectory read from an MD engine's file: frames x atoms x 3 in nm, with each frame's time,
/// step, periodic box and the precision the positions were stored with.
/// </summary>
public sealed class CoordinateTrajectory
{
    private readonly double[] _positions;
    private readonly double[] _times;
    private readonly long[] _steps;
    private readonly double[] _boxes;
    private readonly double[] _precisions;

    internal CoordinateTrajectory(int atomCount, double[] positions, double[] times, long[] steps, double[] boxes, double[] precisions)
    {
        AtomCount = atomCount;
        _positions = positions;
        _times = times;
        _steps = steps;
        _boxes = boxes;
        _precisions = precisions;
    }

    /// <summary>Number of frames.</summary>
    public int FrameCount => _times.Length;

    /// <summary>Number of atoms in every frame.</summary>
    public int AtomCount { get; }

    /// <summary>The time of each frame in ps (NaN where the file does not give one).</summary>
    public IReadOnlyList<double> Times => _times;

    /// <summary>The MD step of each frame (-1 where the file does not give one).</summary>
    public IReadOnlyList<long> Steps => _steps;

    /// <summary>
    /// The precision of each frame's positions as stored: an <c>.xtc</c> frame's precision (1000 means 0.001 nm; 0 for a
    /// frame of at most 9 atoms, which is stored as plain floats), or 10^d for a <c>.gro</c> frame with d decimals.
    /// </summary>
    public IReadOnlyList<double> Precisions => _precisions;

    /// <summary>The positions of all frames as a frames x atoms x 3 array in nm (a copy).</summary>
    public double[,,] ToArray()
    {
        var result = new double[FrameCount, AtomCount, 3];
        _positions.AsSpan().CopyTo(CoordinateArrays.AsSpan(result));
        return result;
    }

    /// <summary>The positions of one frame as an atoms x 3 matrix in nm.</summary>
    /// <param name="frame">Frame index.</param>
    public double[,] Frame(int frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, FrameCount);
        var result = new double[AtomCount, 3];
        _positions.AsSpan(frame * AtomCount * 3, AtomCount * 3).CopyTo(Internal.ArrayViews.AsSpan(result));
        return result;
    }

    /// <summary>One frame's periodic box as a 3 x 3 matrix whose rows are the box vectors a, b, c in nm (all zero when the file has no box).</summary>
    /// <param name="frame">Frame index.</param>
    public double[,] Box(int frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, FrameCount);
        var result = new double[3, 3];
        _boxes.AsSpan(frame * 9, 9).CopyTo(Internal.ArrayViews.AsSpan(result));
        return result;
    }

    /// <summary>
    /// The edge lengths of each frame's box as a frames x 3 matrix, for featurisation with the minimum-image convention.
    /// </summary>
    /// <exception cref="InvalidOperationException">A frame's box is not rectangular (it has off-diagonal elements).</exception>
    public double[,] OrthorhombicBoxes()
    {
        var result = new double[FrameCount, 3];
        for (var f = 0; f < FrameCount; f++)
        {
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    var value = _boxes[(f * 9) + (i * 3) + j];
                    if (i != j && value != 0)
                    {
                        throw new InvalidOperationException($"The box of frame {f} is triclinic (element [{i},{j}] = {value}); only rectangular boxes have edge lengths.");
                    }
                }

                result[f, i] = _boxes[(f * 9) + (i * 4)];
            }
        }

        return result;
    }
}

/// <summary>Collects frames while a trajectory file is read, growing with what the file really holds.</summary>
internal sealed class CoordinateTrajectoryBuilder(int atomCount)
{
    private readonly List<double> _positions = [];
    private readonly List<double> _times = [];
    private readonly List<long> _steps = [];
    private readonly List<double> _boxes = [];
    private readonly List<double> _precisions = [];

    public int AtomCount { get; } = atomCount;

    public int FrameCount => _times.Count;

    public void Add(ReadOnlySpan<double> positions, double time, long step, ReadOnlySpan<double> box, double precision)
    {
        _positions.AddRange(positions);
        _times.Add(time);
        _steps.Add(step);
        _boxes.AddRange(box);
        _precisions.Add(precision);
    }

    public CoordinateTrajectory Build() =>
        new(AtomCount, [.. _positions], [.. _times], [.. _steps], [.. _boxes], [.. _precisions]);
}

/// <summary>Flat row-major views of frames x atoms x 3 arrays, without copying.</summary>
internal static class CoordinateArrays
{
    public static Span<double> AsSpan(double[,,] array) =>
        System.Runtime.InteropServices.MemoryMarshal.CreateSpan(
            ref System.Runtime.CompilerServices.Unsafe.As<byte, double>(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(array)), array.Length);
}
