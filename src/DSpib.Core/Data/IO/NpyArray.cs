using System.Globalization;

namespace DSpib.Data.IO;

/// <summary>
/// A numeric array read from a NumPy <c>.npy</c> file: its shape, stored element type and layout, and its values as
/// doubles in C (row-major) order whatever the file's order was.
/// </summary>
public sealed class NpyArray
{
    private readonly int[] _shape;
    private readonly double[] _values;

    internal NpyArray(int[] shape, NpyDataType dataType, bool fortranOrder, double[] values)
    {
        _shape = shape;
        _values = values;
        DataType = dataType;
        FortranOrder = fortranOrder;
    }

    /// <summary>The shape, outermost dimension first.</summary>
    public IReadOnlyList<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The element type stored in the file.</summary>
    public NpyDataType DataType { get; }

    /// <summary>Whether the file stored the array in Fortran (column-major) order; values are returned in C order regardless.</summary>
    public bool FortranOrder { get; }

    /// <summary>The values in C (row-major) order.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>A copy of the values in C (row-major) order.</summary>
    public double[] ToDoubleArray() => (double[])_values.Clone();

    /// <summary>The array as a matrix: a 2-D array as it is, a 1-D array of length n as an n x 1 column.</summary>
    /// <exception cref="InvalidOperationException">The array has rank 3 (use <see cref="ToMatrices"/>) or more.</exception>
    public double[,] ToMatrix()
    {
        var (rows, columns) = Rank switch
        {
            1 => (_shape[0], 1),
            2 => (_shape[0], _shape[1]),
            _ => throw new InvalidOperationException($"The array has shape ({string.Join(", ", _shape)}); a matrix needs 1 or 2 dimensions. Use ToMatrices() for a 3-D [trajectories, frames, features] array."),
        };
        return Reshape(_values.AsSpan(), rows, columns);
    }

    /// <summary>
    /// One frames x features matrix per trajectory: a 3-D array is read as [trajectories, frames, features]; a 1-D or
    /// 2-D array gives a single matrix.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The array has more than 3 dimensions, or it has trajectories but no frames or no features (shape (n, 0, f) or
    /// (n, f, 0) with n &gt; 0), which would be n empty matrices.
    /// </exception>
    public double[][,] ToMatrices()
    {
        if (Rank < 3)
        {
            return [ToMatrix()];
        }

        if (Rank > 3)
        {
            throw new InvalidOperationException($"The array has {Rank} dimensions; trajectories are read from at most 3 ([trajectories, frames, features]).");
        }

        // A 3-D array without values can claim any number of trajectories; making that many empty matrices would
        // cost time and memory that no byte of the file pays for.
        if (_shape[0] > 0 && _values.Length == 0)
        {
            throw new InvalidOperationException($"The array has shape ({string.Join(", ", _shape)}): {_shape[0]} trajectories without frames or features. A trajectory needs at least one frame of at least one feature.");
        }

        var size = _shape[1] * _shape[2];
        return Enumerable.Range(0, _shape[0]).Select(t => Reshape(_values.AsSpan(t * size, size), _shape[1], _shape[2])).ToArray();
    }

    /// <summary>The values of a 1-D array as integers (for state labels).</summary>
    /// <exception cref="InvalidOperationException">The array is not 1-D, or a value is not a whole number in the range of <see cref="int"/>.</exception>
    public int[] ToInt32Array()
    {
        if (Rank != 1)
        {
            throw new InvalidOperationException($"Labels must be a 1-D array; this one has shape ({string.Join(", ", _shape)}).");
        }

        var result = new int[_values.Length];
        for (var i = 0; i < result.Length; i++)
        {
            var value = _values[i];
            if (value != Math.Floor(value) || value < int.MinValue || value > int.MaxValue)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Element {i} is {value}, not a whole number that fits in a 32-bit integer."));
            }

            result[i] = (int)value;
        }

        return result;
    }

    private static double[,] Reshape(ReadOnlySpan<double> values, int rows, int columns)
    {
        var result = new double[rows, columns];
        values.CopyTo(Internal.ArrayViews.AsSpan(result));
        return result;
    }
}
