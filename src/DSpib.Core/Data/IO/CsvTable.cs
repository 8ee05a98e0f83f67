using System.Globalization;

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

    /// <summary>
    /// Parses a field: a decimal number in the range of <see cref="double"/>, or NaN or an infinity spelled out
    /// (nan, inf, -inf, infinity, ...). A number beyond the range (1e400) is an error, not an infinity.
    /// </summary>
    public static double ParseNumber(string text, string source, int line, int column)
    {
        var trimmed = text.Trim();
        if (SpelledOut(trimmed) is { } special)
        {
            return special;
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return double.IsFinite(value)
                ? value
                : throw new InvalidDataException($"{source}, line {line}, column {column + 1}: '{trimmed}' is beyond the range of a 64-bit float (about ±1.8e308).");
        }

        throw new InvalidDataException($"{source}, line {line}, column {column + 1}: '{trimmed}' is not a number.");
    }

    /// <summary>Whether a (trimmed) field is written as a number, in range or not, or as NaN or an infinity.</summary>
    public static bool LooksLikeNumber(string trimmed) =>
        SpelledOut(trimmed) is not null || double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static double? SpelledOut(string trimmed) => trimmed.ToUpperInvariant() switch
    {
        "NAN" or "+NAN" or "-NAN" => double.NaN,
        "INF" or "+INF" or "INFINITY" or "+INFINITY" => double.PositiveInfinity,
        "-INF" or "-INFINITY" => double.NegativeInfinity,
        _ => null,
    };
}
