namespace DSpib.Data.IO;

/// <summary>How a CSV (or other delimited text) file is read.</summary>
public sealed record CsvOptions
{
    /// <summary>The column delimiter; <see langword="null"/> to detect comma, tab, semicolon or runs of white space from the first data line.</summary>
    public char? Delimiter { get; init; }

    /// <summary>
    /// Whether the first non-comment line holds column names. <see langword="null"/> (the default) lets the reader
    /// decide only where the line is unambiguous: a header when no field is a number, empty or a missing-value marker
    /// (NA, null, ...), data when every field is a number; any other first line is refused with an
    /// <see cref="InvalidDataException"/> asking to set this option, never read as a header by guess.
    /// </summary>
    public bool? HasHeader { get; init; }

    /// <summary>Lines starting with this prefix (after leading white space) are skipped.</summary>
    public string CommentPrefix { get; init; } = "#";
}
