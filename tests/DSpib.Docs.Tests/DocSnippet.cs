using System.Text.RegularExpressions;

namespace DSpib.Docs.Tests;

/// <summary>
/// One <c>```csharp</c> block of a Markdown file, with the directives written in HTML comments on the lines just above
/// its opening fence (see docs/contributing.md, "Code in the documentation").
/// </summary>
/// <param name="File">Path of the Markdown file relative to the repository root, with forward slashes.</param>
/// <param name="Line">1-based line of the opening fence.</param>
/// <param name="Code">The block's text (the lines between the fences).</param>
/// <param name="Given">Declarations of variables the block uses without creating them (<c>snippet: given</c>).</param>
/// <param name="GivenLine">1-based line of the <c>given</c> comment, or 0.</param>
/// <param name="Continues">Whether the block continues the previous C# block of the same file (<c>snippet: continues</c>).</param>
/// <param name="Run">Whether the tests also run the block (<c>snippet: run</c>).</param>
public sealed record DocSnippet(string File, int Line, string Code, string Given, int GivenLine, bool Continues, bool Run)
{
    private static readonly Regex Directive = new(@"^\s*<!--\s*snippet:\s*(?<name>given|continues|run)\b(?<rest>.*?)-->\s*$", RegexOptions.Compiled);
    private static readonly Regex AnyDirective = new(@"^\s*<!--\s*snippet:", RegexOptions.Compiled);

    /// <summary>A readable name of the block: file and line of its opening fence.</summary>
    public string Id => $"{File}:{Line}";

    /// <summary>The previous block of the chain this one continues, set by <see cref="Parse"/>.</summary>
    public DocSnippet? Previous { get; init; }

    /// <summary>The blocks of the chain that ends with this one, first block first.</summary>
    public IReadOnlyList<DocSnippet> Chain
    {
        get
        {
            var chain = new List<DocSnippet>();
            for (var block = this; block is not null; block = block.Continues ? block.Previous : null)
            {
                chain.Insert(0, block);
            }

            return chain;
        }
    }

    /// <summary>Every <c>```csharp</c> block of a Markdown text, in order.</summary>
    /// <param name="file">The file's name for messages.</param>
    /// <param name="markdown">The file's text.</param>
    public static IReadOnlyList<DocSnippet> Parse(string file, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<DocSnippet>();
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = lines[i].TrimStart();
            if (!fence.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var indent = lines[i].Length - fence.Length;
            var language = fence[3..].Trim();
            var end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```")
            {
                end++;
            }

            if (end == lines.Length)
            {
                throw new FormatException($"{file}:{i + 1}: the code block is not closed.");
            }

            if (language is "csharp" or "cs" or "c#")
            {
                blocks.Add(Read(file, lines, i, end, indent, blocks.Count > 0 ? blocks[^1] : null));
            }

            i = end;
        }

        return blocks;
    }

    private static DocSnippet Read(string file, string[] lines, int fence, int end, int indent, DocSnippet? previous)
    {
        var (given, givenLine, continues, run) = (string.Empty, 0, false, false);
        for (var j = fence - 1; j >= 0 && AnyDirective.IsMatch(lines[j]); j--)
        {
            var match = Directive.Match(lines[j]);
            if (!match.Success)
            {
                throw new FormatException($"{file}:{j + 1}: unknown snippet directive '{lines[j].Trim()}' (use given, continues or run).");
            }

            switch (match.Groups["name"].Value)
            {
                case "given":
                    (given, givenLine) = (match.Groups["rest"].Value.Trim(), j + 1);
                    break;
                case "continues":
                    continues = true;
                    break;
                default:
                    run = true;
                    break;
            }
        }

        if (continues && previous is null)
        {
            throw new FormatException($"{file}:{fence + 1}: 'snippet: continues' but there is no earlier C# block in the file.");
        }

        var code = string.Join('\n', lines[(fence + 1)..end].Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart()));
        return new DocSnippet(file, fence + 1, code, given, givenLine, continues, run) { Previous = previous };
    }
}
