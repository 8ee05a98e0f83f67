namespace DSpib.Data.IO;

/// <summary>How a CSV (or other delimited text) file is read.</summary>
public sealed record CsvOptions
{
    /// <summary>The column delimiter; <see langword="null"/> to detect comma, tab, semicolon or runs of white space from the first data line.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Whether the first non-comment line holds column names; <see langword="null"/> to detect it (a line that is not all numbers).</summary>
    public bool? HasHeader { get; init; }

    /// <summary>Lines starting with this prefix (after leading white space) are skipped.</summary>
    public string CommentPrefix { get; init; } = "#";
}
