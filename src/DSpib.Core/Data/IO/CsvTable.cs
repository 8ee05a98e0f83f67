namespace DSpib.Data.IO;

/// <summary>Numeric columns read from a delimited text file, with their names.</summary>
public sealed class CsvTable
{
    private readonly string[] _columns;
    private readonly double[,] _data;

    internal CsvTable(string[] columns, double[,] data)
    {
        _columns = columns;
        _data = data;
    }

    /// <summary>Column names from the header, or <c>c0</c>, <c>c1</c>, ... when the file has none.</summary>
    public IReadOnlyList<string> ColumnNames => _columns;

    /// <summary>Number of data rows.</summary>
    public int RowCount => _data.GetLength(0);

    /// <summary>A copy of all columns as a rows x columns matrix.</summary>
    public double[,] ToMatrix() => (double[,])_data.Clone();

    /// <summary>The named columns, in the order given, as a rows x columns matrix.</summary>
    /// <param name="columns">Column names.</param>
    /// <exception cref="ArgumentException">A name is not a column; the message lists the columns there are.</exception>
    public double[,] Select(params string[] columns) => TableColumns.Select(_data, _columns, columns, nameof(columns));
}

/// <summary>Column selection shared by the text-table readers.</summary>
internal static class TableColumns
{
    public static double[,] Select(double[,] data, string[] names, string[] selected, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(selected, argumentName);
        if (selected.Length == 0)
        {
            throw new ArgumentException("Select at least one column.", argumentName);
        }

        var indices = selected.Select(name =>
        {
            var index = Array.IndexOf(names, name);
            return index >= 0 ? index : throw new ArgumentException($"There is no column '{name}'; the columns are: {string.Join(", ", names)}.", argumentName);
        }).ToArray();
        var result = new double[data.GetLength(0), indices.Length];
        for (var n = 0; n < result.GetLength(0); n++)
        {
            for (var j = 0; j < indices.Length; j++)
            {
                result[n, j] = data[n, indices[j]];
            }
        }

        return result;
    }

    public static double ParseNumber(string text, string source, int line, int column)
    {
        var trimmed = text.Trim();
        if (double.TryParse(trimmed, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        return trimmed.ToUpperInvariant() switch
        {
            "NAN" => double.NaN,
            "INF" or "+INF" or "INFINITY" => double.PositiveInfinity,
            "-INF" or "-INFINITY" => double.NegativeInfinity,
            _ => throw new InvalidDataException($"{source}, line {line}, column {column + 1}: '{trimmed}' is not a number."),
        };
    }
}
