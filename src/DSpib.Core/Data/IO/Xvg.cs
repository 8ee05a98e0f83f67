using System.Globalization;

namespace DSpib.Data.IO;

/// <summary>
/// Reads GROMACS <c>.xvg</c> tables as <c>gmx energy</c>, <c>gmx angle</c>, <c>gmx distance</c> and the other analysis
/// tools write them: <c>#</c> comment lines, <c>@</c> Grace directives and white-space separated numeric rows.
/// </summary>
/// <remarks>
/// The first column is the x axis (usually the time); it is named after the <c>@ xaxis label</c> without its unit
/// (<c>"Time (ps)"</c> gives <c>Time</c>), or <c>x</c>. Column j &gt;= 1 is named after its legend,
/// <c>@ s(j-1) legend "..."</c> (or the older <c>@ legend string (j-1) "..."</c>), or <c>y1</c>, <c>y2</c>, ... when it
/// has none. Files written with <c>-xvg none</c> have no directives and read the same way. A line <c>&amp;</c> ends a
/// data set; a file with a second data set after it is refused. Rows with a trailing text label (as <c>gmx rama</c>
/// writes them) are refused too: read such data with <c>gmx angle</c> instead.
/// </remarks>
public static class Xvg
{
    /// <summary>Reads an <c>.xvg</c> file.</summary>
    /// <param name="path">Path of the file.</param>
    /// <exception cref="InvalidDataException">A row with another number of columns, a value that is not a number, a second data set or no data; the message names the line.</exception>
    public static XvgTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads <c>.xvg</c> text from a reader.</summary>
    /// <param name="reader">The text.</param>
    /// <inheritdoc cref="Read(string)" path="/exception" />
    public static XvgTable Read(TextReader reader) => Read(reader, "text");

    private static XvgTable Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var legends = new SortedDictionary<int, string>();
        string? title = null, xLabel = null, yLabel = null;
        var rows = new List<double[]>();
        var setEnded = false;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#')
            {
                continue;
            }

            if (trimmed[0] == '@')
            {
                ReadDirective(trimmed[1..], legends, ref title, ref xLabel, ref yLabel);
                continue;
            }

            if (trimmed == "&")
            {
                setEnded = rows.Count > 0;
                continue;
            }

            if (setEnded)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: a second data set follows '&'; only files with one data set are read.");
            }

            var words = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (rows.Count > 0 && words.Length != rows[0].Length)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: {words.Length} values, the first row has {rows[0].Length}.");
            }

            var values = new double[words.Length];
            for (var j = 0; j < words.Length; j++)
            {
                // GROMACS prints C's "-nan" for undefined values.
                values[j] = words[j].Equals("-nan", StringComparison.OrdinalIgnoreCase)
                    ? double.NaN
                    : TableColumns.ParseNumber(words[j], source, lineNumber, j);
            }

            rows.Add(values);
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{source} has no data rows.");
        }

        var columns = rows[0].Length;
        var names = new string[columns];
        names[0] = AxisName(xLabel) ?? "x";
        for (var j = 1; j < columns; j++)
        {
            names[j] = legends.TryGetValue(j - 1, out var legend) && legend.Length > 0 ? legend : string.Create(CultureInfo.InvariantCulture, $"y{j}");
        }

        var data = new double[rows.Count, columns];
        for (var n = 0; n < rows.Count; n++)
        {
            rows[n].AsSpan().CopyTo(Internal.ArrayViews.AsSpan(data).Slice(n * columns, columns));
        }

        return new XvgTable(names, title ?? "", xLabel ?? "", yLabel ?? "", data);
    }

    private static void ReadDirective(string directive, SortedDictionary<int, string> legends, ref string? title, ref string? xLabel, ref string? yLabel)
    {
        var words = directive.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 2)
        {
            return;
        }

        var quoted = Quoted(directive);
        if (words[0] == "title")
        {
            title = quoted;
        }
        else if (words[0] is "xaxis" or "yaxis" && words[1] == "label")
        {
            if (words[0] == "xaxis")
            {
                xLabel = quoted;
            }
            else
            {
                yLabel = quoted;
            }
        }
        else if (words[0].Length > 1 && words[0][0] == 's' && words[1] == "legend" && int.TryParse(words[0].AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var set))
        {
            legends[set] = quoted ?? "";
        }
        else if (words[0] == "legend" && words[1] == "string" && words.Length == 3)
        {
            var rest = words[2].Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            if (int.TryParse(rest[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                legends[index] = quoted ?? "";
            }
        }
    }

    private static string? Quoted(string text)
    {
        var first = text.IndexOf('"', StringComparison.Ordinal);
        var last = text.LastIndexOf('"');
        return first >= 0 && last > first ? text[(first + 1)..last] : null;
    }

    private static string? AxisName(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return null;
        }

        var unit = label.IndexOf(" (", StringComparison.Ordinal);
        return (unit > 0 ? label[..unit] : label).Trim();
    }
}

/// <summary>The contents of a GROMACS <c>.xvg</c> file: named numeric columns, the first being the x axis.</summary>
public sealed class XvgTable
{
    private readonly string[] _columns;
    private readonly double[,] _data;

    internal XvgTable(string[] columns, string title, string xAxisLabel, string yAxisLabel, double[,] data)
    {
        _columns = columns;
        _data = data;
        Title = title;
        XAxisLabel = xAxisLabel;
        YAxisLabel = yAxisLabel;
    }

    /// <summary>The plot title (<c>@ title</c>), or empty.</summary>
    public string Title { get; }

    /// <summary>The x-axis label with its unit, for example <c>Time (ps)</c>, or empty.</summary>
    public string XAxisLabel { get; }

    /// <summary>The y-axis label with its unit, for example <c>(kJ/mol)</c>, or empty.</summary>
    public string YAxisLabel { get; }

    /// <summary>Column names: the x axis first, then the legends of the data series (see <see cref="Xvg"/>).</summary>
    public IReadOnlyList<string> ColumnNames => _columns;

    /// <summary>Number of data rows.</summary>
    public int RowCount => _data.GetLength(0);

    /// <summary>The first column (the x axis, usually the time in ps).</summary>
    public double[] X => Column(0);

    /// <summary>A copy of all columns as a rows x columns matrix.</summary>
    public double[,] ToMatrix() => (double[,])_data.Clone();

    /// <summary>The named columns, in the order given, as a rows x columns matrix.</summary>
    /// <param name="columns">Column names.</param>
    /// <exception cref="ArgumentException">A name is not a column; the message lists the columns there are.</exception>
    public double[,] Select(params string[] columns) => TableColumns.Select(_data, _columns, columns, nameof(columns));

    /// <summary>One column by name.</summary>
    /// <param name="column">Column name, for example <c>Potential</c>.</param>
    /// <exception cref="ArgumentException">There is no such column; the message lists the columns there are.</exception>
    public double[] Column(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var index = Array.IndexOf(_columns, column);
        return index >= 0
            ? Column(index)
            : throw new ArgumentException($"There is no column '{column}'; the columns are: {string.Join(", ", _columns)}.", nameof(column));
    }

    /// <summary>One column by index (0 is the x axis).</summary>
    /// <param name="index">Column index.</param>
    public double[] Column(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _columns.Length);
        var result = new double[RowCount];
        for (var n = 0; n < result.Length; n++)
        {
            result[n] = _data[n, index];
        }

        return result;
    }
}
