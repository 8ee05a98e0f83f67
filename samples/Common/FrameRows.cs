namespace DSpib.Samples;

/// <summary>Row operations on frames x features matrices shared by the samples.</summary>
public static class FrameRows
{
    /// <summary>The rows of every part, one after another.</summary>
    /// <param name="parts">Matrices with the same number of columns; at least one.</param>
    public static double[,] Stack(IReadOnlyList<double[,]> parts)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count, nameof(parts));
        var rows = parts.Sum(p => p.GetLength(0));
        var columns = parts[0].GetLength(1);
        var result = new double[rows, columns];
        var offset = 0;
        foreach (var part in parts)
        {
            Buffer.BlockCopy(part, 0, result, offset * columns * sizeof(double), part.Length * sizeof(double));
            offset += part.GetLength(0);
        }

        return result;
    }

    /// <summary><paramref name="count"/> rows spread evenly over <paramref name="frames"/> (all of them if there are fewer).</summary>
    /// <param name="frames">The rows to choose from.</param>
    /// <param name="count">How many to keep.</param>
    public static double[,] EvenlySpaced(double[,] frames, int count)
    {
        var rows = Math.Min(count, frames.GetLength(0));
        var result = new double[rows, frames.GetLength(1)];
        for (var i = 0; i < rows; i++)
        {
            var source = (int)((long)i * frames.GetLength(0) / rows);
            for (var j = 0; j < frames.GetLength(1); j++)
            {
                result[i, j] = frames[source, j];
            }
        }

        return result;
    }
}
