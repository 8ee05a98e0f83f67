using System.Globalization;
using System.Text;
using DSpib.Data.IO;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>
/// Fuzz targets for the text readers. A read is correct when no line is lost (every content line is the header or a
/// row), a header was taken only from an unambiguous first line, and every value is the number its field spells
/// (finite, or NaN or an infinity written as such).
/// </summary>
internal static class TextFuzzTargets
{
    private static readonly char[] Delimiters = [',', '\t', ';'];

    public static FuzzTarget Csv() => Target(
        "CSV",
        [
            "# written by hand\ntime,x,y\n0,1.5,-2e-3\n1,nan,inf\n\n2,3.25,1e300\n",
            "1\t2\t3\n4\t5\t6\n7\t8\t9\n",
            "  0.1   0.2\n  0.3   0.4\r\n  0.5   0.6\n",
            "\"a\";\"b\"\n-1;+2\n3.5;-INF\n",
        ],
        text => CheckCsv(text, DSpib.Data.IO.Csv.Read(new StringReader(text))));

    public static FuzzTarget Colvar() => Target(
        "COLVAR",
        [
            "#! FIELDS time phi psi\n#! SET min_phi -pi\n#! SET max_phi pi\n 0.000000 -1.5 2.5\n 1.000000 -1.4 2.4\n# a comment\n#! FIELDS time phi psi\n 2.000000 -1.3 2.3\n",
            "#! FIELDS time d1 d2 d3\n0 0.1 0.2 0.3\n1 nan 1e-5 -7\n",
        ],
        text => CheckColvar(text, DSpib.Data.IO.Colvar.Read(new StringReader(text))));

    /// <summary>A text reader fed the mutated bytes as UTF-8 (as a <see cref="StreamReader"/> would decode them).</summary>
    private static FuzzTarget Target(string name, string[] seeds, Action<string> readAndCheck) => new()
    {
        Name = name,
        Seeds = seeds.Select(Encoding.UTF8.GetBytes).ToList(),
        DocumentedException = typeof(InvalidDataException),
        ReadAndCheck = (bytes, _) => readAndCheck(Encoding.UTF8.GetString(bytes)),

        // A line is split into strings and parsed into a row of doubles; rows are kept in a list and copied into the
        // matrix: about 32 bytes per input character (UTF-16 strings, their splits, the doubles, two copies), plus a
        // fixed 256 KiB for the reader's buffers.
        AllocationBudget = length => (256L << 10) + (32L * length),
    };

    private static void CheckCsv(string text, CsvTable table)
    {
        var lines = ContentLines(text, line => line.StartsWith('#'));
        var delimiter = lines.Count == 0 ? ' ' : Delimiters.FirstOrDefault(d => lines[0].Contains(d), ' ');
        var hasHeader = lines.Count == table.RowCount + 1;
        if (!hasHeader && lines.Count != table.RowCount)
        {
            throw new IncorrectReadException($"{lines.Count} content lines became {table.RowCount} rows and a header of {table.ColumnNames.Count} names: a line was lost.");
        }

        if (hasHeader && Fields(lines[0], delimiter).Any(f => f.Trim('"').Length == 0 || Number(f) is not null || f.Trim('"') is "NA" or "N/A" or "null" or "NULL"))
        {
            throw new IncorrectReadException($"the first line '{lines[0]}' was taken as a header, though it has a number, an empty field or a missing-value marker.");
        }

        CheckRows(lines.Skip(hasHeader ? 1 : 0).ToList(), delimiter, table.ToMatrix(), table.ColumnNames.Count);
    }

    private static void CheckColvar(string text, ColvarTable table)
    {
        var fieldLines = text.Split('\n', '\r').Select(l => l.Trim()).Where(l => l.StartsWith("#!", StringComparison.Ordinal))
            .Select(l => l[2..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length > 0 && w[0] == "FIELDS").ToList();
        var fields = fieldLines.Count > 0 ? fieldLines[^1][1..] : [];
        if (!table.Fields.SequenceEqual(fields) || fields.Distinct().Count() != fields.Length || fields.Length == 0)
        {
            throw new IncorrectReadException($"the fields ({string.Join(' ', table.Fields)}) are not the unique, non-empty ones the file declares ({string.Join(' ', fields)}).");
        }

        var lines = ContentLines(text, line => line.StartsWith('#'));
        if (lines.Count != table.RowCount)
        {
            throw new IncorrectReadException($"{lines.Count} data lines became {table.RowCount} rows.");
        }

        CheckRows(lines, ' ', table.ToMatrix(), fields.Length);
    }

    private static void CheckRows(List<string> lines, char delimiter, double[,] matrix, int columns)
    {
        if (matrix.GetLength(1) != columns)
        {
            throw new IncorrectReadException($"the matrix has {matrix.GetLength(1)} columns for {columns} names.");
        }

        for (var n = 0; n < lines.Count; n++)
        {
            var fields = Fields(lines[n], delimiter);
            if (fields.Length != columns)
            {
                throw new IncorrectReadException($"row {n} has {fields.Length} fields for {columns} columns.");
            }

            for (var j = 0; j < columns; j++)
            {
                var expected = Number(fields[j]) ?? throw new IncorrectReadException($"row {n}, field {j + 1} '{fields[j]}' is not a number in range, yet was read as {matrix[n, j]}.");
                if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(matrix[n, j]) && !(double.IsNaN(expected) && double.IsNaN(matrix[n, j])))
                {
                    throw new IncorrectReadException($"row {n}, field {j + 1} '{fields[j]}' was read as {matrix[n, j]}.");
                }
            }
        }
    }

    /// <summary>Lines as <see cref="TextReader.ReadLine"/> splits them, trimmed, without blank and comment lines.</summary>
    private static List<string> ContentLines(string text, Func<string, bool> isComment)
    {
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && !isComment(trimmed))
            {
                lines.Add(trimmed);
            }
        }

        return lines;
    }

    private static string[] Fields(string line, char delimiter) =>
        (delimiter == ' ' ? line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : line.Split(delimiter)).Select(f => f.Trim()).ToArray();

    /// <summary>The value a field spells: a finite number, or NaN or an infinity written out; otherwise <see langword="null"/>.</summary>
    internal static double? Number(string field)
    {
        var lower = field.Trim().ToLowerInvariant();
        if (lower is "nan" or "+nan" or "-nan")
        {
            return double.NaN;
        }

        if (lower is "inf" or "+inf" or "infinity" or "+infinity")
        {
            return double.PositiveInfinity;
        }

        if (lower is "-inf" or "-infinity")
        {
            return double.NegativeInfinity;
        }

        return double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;
    }
}
