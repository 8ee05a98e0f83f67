using System.Globalization;
using System.Text;

namespace DSpib.Data.IO;

/// <summary>Reads and writes numeric delimited text (CSV, TSV, white-space separated columns).</summary>
public static class Csv
{
    private static readonly char[] CandidateDelimiters = [',', '\t', ';'];

    /// <summary>Words that mark a missing value; a first line with one is neither clearly a header nor clearly data.</summary>
    private static readonly HashSet<string> MissingMarkers = new(["NA", "N/A", "na", "n/a", "NULL", "null", "None", "none", "-", "?"], StringComparer.Ordinal);

    /// <summary>Reads all columns of a file as a matrix.</summary>
    /// <param name="path">Path of the file.</param>
    /// <param name="options">How to read it (detected when omitted).</param>
    public static double[,] ReadMatrix(string path, CsvOptions? options = null) => Read(path, options).ToMatrix();

    /// <summary>Reads a file with its column names.</summary>
    /// <param name="path">Path of the file.</param>
    /// <param name="options">How to read it (detected when omitted).</param>
    /// <exception cref="InvalidDataException">
    /// A value is not a number or is beyond the range of <see cref="double"/> (such as 1e400), a row has another number
    /// of columns, or <see cref="CsvOptions.HasHeader"/> is left to the reader and the first line could be a header or
    /// data; the message names the line (and the column).
    /// </exception>
    public static CsvTable Read(string path, CsvOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        return Read(reader, options, path);
    }

    /// <summary>Reads delimited text from a reader.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="options">How to read it (detected when omitted).</param>
    /// <exception cref="InvalidDataException">As for <see cref="Read(string, CsvOptions?)"/>.</exception>
    public static CsvTable Read(TextReader reader, CsvOptions? options = null) => Read(reader, options, "text");

    /// <summary>Writes a matrix as comma-separated values (round-trip precision), replacing the target atomically.</summary>
    /// <param name="path">Target path.</param>
    /// <param name="data">The matrix.</param>
    /// <param name="columnNames">Optional header, one name per column.</param>
    public static void Write(string path, double[,] data, IReadOnlyList<string>? columnNames = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (columnNames is not null && columnNames.Count != data.GetLength(1))
        {
            throw new ArgumentException($"Give one name per column ({data.GetLength(1)}); got {columnNames.Count}.", nameof(columnNames));
        }

        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            if (columnNames is not null)
            {
                writer.WriteLine(string.Join(',', columnNames));
            }

            var row = new string[data.GetLength(1)];
            for (var n = 0; n < data.GetLength(0); n++)
            {
                for (var j = 0; j < row.Length; j++)
                {
                    row[j] = data[n, j].ToString("R", CultureInfo.InvariantCulture);
                }

                writer.WriteLine(string.Join(',', row));
            }
        });
    }

    private static CsvTable Read(TextReader reader, CsvOptions? options, string source)
    {
        options ??= new CsvOptions();
        string[]? names = null;
        var rows = new List<double[]>();
        char? delimiter = options.Delimiter;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || (options.CommentPrefix.Length > 0 && trimmed.StartsWith(options.CommentPrefix, StringComparison.Ordinal)))
            {
                continue;
            }

            delimiter ??= DetectDelimiter(trimmed);
            var fields = Split(trimmed, delimiter.Value);
            if (names is null && rows.Count == 0 && (options.HasHeader ?? IsHeader(fields, source, lineNumber)))
            {
                names = fields.Select(f => f.Trim().Trim('"')).ToArray();
                continue;
            }

            var expected = names?.Length ?? (rows.Count > 0 ? rows[0].Length : fields.Length);
            if (fields.Length != expected)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: {fields.Length} columns where {expected} were expected; every row needs the same number of columns.");
            }

            var values = new double[fields.Length];
            for (var j = 0; j < fields.Length; j++)
            {
                values[j] = TableColumns.ParseNumber(fields[j], source, lineNumber, j);
            }

            rows.Add(values);
        }

        if (rows.Count == 0)
        {
            throw new InvalidDataException($"{source} has no data rows.");
        }

        names ??= Enumerable.Range(0, rows[0].Length).Select(j => "c" + j.ToString(CultureInfo.InvariantCulture)).ToArray();
        var data = new double[rows.Count, names.Length];
        for (var n = 0; n < rows.Count; n++)
        {
            for (var j = 0; j < names.Length; j++)
            {
                data[n, j] = rows[n][j];
            }
        }

        return new CsvTable(names, data);
    }

    /// <summary>Comma, tab or semicolon if the line has one (in that order); otherwise white space.</summary>
    private static char DetectDelimiter(string line)
    {
        foreach (var candidate in CandidateDelimiters)
        {
            if (line.Contains(candidate, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        return ' ';
    }

    private static string[] Split(string line, char delimiter) =>
        delimiter == ' '
            ? line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            : line.Split(delimiter);

    /// <summary>
    /// Whether the first line is a header, when <see cref="CsvOptions.HasHeader"/> leaves it to the reader: yes if
    /// every field is a name, no if every field is a number, and an exception otherwise. A line with both, or with an
    /// empty field or a missing-value marker such as NA, could be either, and guessing wrong loses a row or a name.
    /// </summary>
    private static bool IsHeader(string[] fields, string source, int line)
    {
        var numbers = fields.Count(f => TableColumns.LooksLikeNumber(f.Trim()));
        if (numbers == fields.Length)
        {
            return false;
        }

        var unclear = Array.FindIndex(fields, f => f.Trim().Trim('"').Length == 0 || MissingMarkers.Contains(f.Trim().Trim('"')));
        if (numbers == 0 && unclear < 0)
        {
            return true;
        }

        var why = unclear >= 0
            ? $"field {unclear + 1} is {(fields[unclear].Trim().Trim('"').Length == 0 ? "empty" : $"'{fields[unclear].Trim()}'")}"
            : $"{numbers} of its {fields.Length} fields are numbers and the others are not";
        throw new InvalidDataException(
            $"{source}, line {line}: cannot tell whether the first line is a header or data ({why}). Say which with CsvOptions.HasHeader = true (it holds column names) or false (it is data).");
    }
}
