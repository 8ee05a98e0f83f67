namespace DSpib.Docs.Tests;

/// <summary>The repository's Markdown files and their C# blocks.</summary>
internal static class Documentation
{
    private static readonly Lazy<IReadOnlyList<DocSnippet>> All = new(Load);

    /// <summary>The repository root: the nearest folder above the test binaries that holds DSpib.Core.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Every C# block of README.md, docs/**/*.md and src/*/README.md.</summary>
    public static IReadOnlyList<DocSnippet> Snippets => All.Value;

    public static DocSnippet Find(string id) =>
        Snippets.SingleOrDefault(s => s.Id == id) ?? throw new InvalidOperationException($"No C# block {id}; the documentation changed since the tests were discovered.");

    private static List<DocSnippet> Load()
    {
        var files = new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            .Concat(Directory.EnumerateDirectories(Path.Combine(Root, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists).Order(StringComparer.Ordinal));
        return files
            .SelectMany(f => DocSnippet.Parse(Path.GetRelativePath(Root, f).Replace('\\', '/'), File.ReadAllText(f)))
            .ToList();
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DSpib.Core.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"DSpib.Core.sln not found above {AppContext.BaseDirectory}.");
    }
}
