namespace DSpib.Docs.Tests;

/// <summary>Every C# block of README.md, docs/ and the package READMEs compiles; the ones marked <c>snippet: run</c> also run.</summary>
public sealed class DocumentationSnippetTests
{
    /// <summary>The id (file:line) of every C# block, one test case each.</summary>
    public static TheoryData<string> Blocks() => new(Documentation.Snippets.Select(s => s.Id));

    /// <summary>The id of every block marked to run.</summary>
    public static TheoryData<string> RunnableBlocks() => new(Documentation.Snippets.Where(s => s.Run).Select(s => s.Id));

    [Theory]
    [MemberData(nameof(Blocks))]
    public void Block_Compiles(string block)
    {
        var snippet = Documentation.Find(block);
        var errors = SnippetCompiler.Errors(SnippetCompiler.Compile(SnippetCompiler.ProgramText(snippet), snippet.File));

        errors.Should().BeEmpty($"the C# block at {snippet.Id} must compile as written (with its snippet directives); the program compiled was:\n{SnippetCompiler.ProgramText(snippet)}\n");
    }

    [Theory]
    [MemberData(nameof(RunnableBlocks))]
    public void Block_Runs(string block)
    {
        var snippet = Documentation.Find(block);
        var compilation = SnippetCompiler.Compile(SnippetCompiler.ProgramText(snippet), snippet.File);
        var folder = Directory.CreateTempSubdirectory("dspib-docs-");
        var previous = Environment.CurrentDirectory;
        try
        {
            // Blocks may write files (models, exports) to the current folder.
            Environment.CurrentDirectory = folder.FullName;
            var run = () => SnippetCompiler.Run(compilation);
            run.Should().NotThrow($"the block at {snippet.Id} is marked 'snippet: run'");
        }
        finally
        {
            Environment.CurrentDirectory = previous;
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Documentation_HasBlocks_InEveryPlaceItIsExpected()
    {
        Documentation.Snippets.Should().Contain(s => s.File == "README.md");
        Documentation.Snippets.Should().Contain(s => s.File == "docs/getting-started.md" && s.Run, "the first model of the getting-started page runs in the tests");
    }
}
