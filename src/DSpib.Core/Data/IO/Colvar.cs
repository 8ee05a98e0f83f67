using System.Globalization;

namespace DSpib.Data.IO;

/// <summary>
/// Reads PLUMED COLVAR files: a <c>#! FIELDS time cv1 cv2 ...</c> header, optional <c>#! SET name value</c> lines,
/// and white-space separated rows. A repeated <c>#! FIELDS</c> line (from a restarted run) must name the same fields.
/// </summary>
public static class Colvar
{
    /// <summary>Reads a COLVAR file.</summary>
    /// <param name="path">Path of the file.</param>
    /// <exception cref="InvalidDataException">
    /// No <c>#! FIELDS</c> header, one without fields or naming a field twice, a changed header, a short row, or a
    /// value that is not a number or is beyond the range of <see cref="double"/>; the message names the line.
    /// </exception>
    public static ColvarTable Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads COLVAR text from a reader.</summary>
    /// <param name="reader">The text.</param>
    /// <exception cref="InvalidDataException">As for <see cref="Read(string)"/>.</exception>
    public static ColvarTable Read(TextReader reader) => Read(reader, "text");

    private static ColvarTable Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string[]? fields = null;
        var constants = new Dictionary<string, string>(StringComparer.Ordinal);
        var rows = new List<double[]>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var words = trimmed[2..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (words.Length > 0 && words[0] == "FIELDS")
                {
                    var declared = words[1..];
                    if (declared.Length == 0)
                    {
                        throw new InvalidDataException($"{source}, line {lineNumber}: the '#! FIELDS' header names no fields.");
                    }

                    var repeated = declared.GroupBy(f => f, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
                    if (repeated is not null)
                    {
                        throw new InvalidDataException($"{source}, line {lineNumber}: the field '{repeated.Key}' is named {repeated.Count()} times in '#! FIELDS'; every field needs a name of its own, or selecting it would be ambiguous.");
                    }

                    if (fields is not null && !fields.SequenceEqual(declared))
                    {
                        throw new InvalidDataException($"{source}, line {lineNumber}: the fields changed from ({string.Join(' ', fields)}) to ({string.Join(' ', declared)}); split such files before reading them.");
                    }

                    fields = declared;
                }
                else if (words.Length >= 3 && words[0] == "SET")
                {
                    constants[words[1]] = string.Join(' ', words[2..]);
                }

                continue;
            }

            if (trimmed.StartsWith('#'))
            {
                continue;
            }

            if (fields is null)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: data before any '#! FIELDS' header; a COLVAR file must start with '#! FIELDS time ...'.");
            }

            var values = trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (values.Length != fields.Length)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: {values.Length} values for {fields.Length} fields ({string.Join(' ', fields)}).");
            }

            rows.Add(values.Select((v, j) => TableColumns.ParseNumber(v, source, lineNumber, j)).ToArray());
        }

        if (fields is null)
        {
            throw new InvalidDataException($"{source} has no '#! FIELDS' header; it is not a PLUMED COLVAR file.");
        }

        var data = new double[rows.Count, fields.Length];
        for (var n = 0; n < rows.Count; n++)
        {
            for (var j = 0; j < fields.Length; j++)
            {
                data[n, j] = rows[n][j];
            }
        }

        return new ColvarTable(fields, constants, data);
    }
}

/// <summary>The contents of a PLUMED COLVAR file.</summary>
public sealed class ColvarTable
{
    private readonly string[] _fields;
    private readonly double[,] _data;

    internal ColvarTable(string[] fields, IReadOnlyDictionary<string, string> constants, double[,] data)
    {
        _fields = fields;
        _data = data;
        Constants = constants;
    }

    /// <summary>The field names from the <c>#! FIELDS</c> header, in column order.</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>Values declared with <c>#! SET name value</c>.</summary>
    public IReadOnlyDictionary<string, string> Constants { get; }

    /// <summary>Number of data rows.</summary>
    public int RowCount => _data.GetLength(0);

    /// <summary>A copy of all fields as a rows x fields matrix.</summary>
    public double[,] ToMatrix() => (double[,])_data.Clone();

    /// <summary>The named fields, in the order given, as a rows x fields matrix (for example the collective variables without time).</summary>
    /// <param name="fields">Field names.</param>
    /// <exception cref="ArgumentException">A name is not a field; the message lists the fields there are.</exception>
    public double[,] Select(params string[] fields) => TableColumns.Select(_data, _fields, fields, nameof(fields));

    /// <summary>One field as a vector.</summary>
    /// <param name="field">Field name.</param>
    public double[] Column(string field)
    {
        var selected = Select(field);
        return Enumerable.Range(0, selected.GetLength(0)).Select(n => selected[n, 0]).ToArray();
    }
}
