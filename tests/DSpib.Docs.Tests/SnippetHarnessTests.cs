namespace DSpib.Docs.Tests;

/// <summary>The harness itself: it finds blocks and directives, and a wrong block fails with a useful message.</summary>
public sealed class SnippetHarnessTests
{
    private const string Markdown = """
        # Title

        ```csharp
        using DSpib;

        var model = DSpibModel.Create().WithInputDimension(2).Build();
        ```

        Text.

        <!-- snippet: continues -->
        ```csharp
        using DSpib.Interop;

        int d = model.LatentDimension;
        ```

        <!-- snippet: given double[,] frames; DSpib.DSpibModel trained; -->
        ```csharp
        double[,] z = trained.Encode(frames);
        ```

        ```sh
        dotnet build
        ```
        """;

    [Fact]
    public void Parse_FindsCSharpBlocks_WithTheirLinesAndDirectives()
    {
        var blocks = DocSnippet.Parse("x.md", Markdown);

        blocks.Select(b => b.Line).Should().Equal(3, 12, 19);
        blocks[1].Continues.Should().BeTrue();
        blocks[1].Chain.Should().HaveCount(2);
        blocks[2].Given.Should().Be("double[,] frames; DSpib.DSpibModel trained;");
        blocks[2].Chain.Should().ContainSingle();
    }

    [Fact]
    public void Compile_AcceptsBlocks_ThatContinueOrDeclareWhatTheyAreGiven()
    {
        foreach (var block in DocSnippet.Parse("x.md", Markdown))
        {
            SnippetCompiler.Errors(SnippetCompiler.Compile(SnippetCompiler.ProgramText(block), block.File)).Should().BeEmpty(block.Id);
        }
    }

    [Fact]
    public void Compile_ReportsTheFileLineAndError_OfABrokenBlock()
    {
        var broken = DocSnippet.Parse("broken.md", """
            Intro.

            ```csharp
            using DSpib;

            using var model = DSpibModel.Create().WithInputDimension(2).WithNoSuchSetting().Build();
            double[,] z = model.Encode(undeclaredFrames);
            ```
            """).Single();

        var errors = SnippetCompiler.Errors(SnippetCompiler.Compile(SnippetCompiler.ProgramText(broken), broken.File));

        errors.Should().Contain(e => e.StartsWith("broken.md(6,", StringComparison.Ordinal) && e.Contains("CS1061", StringComparison.Ordinal) && e.Contains("WithNoSuchSetting", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("broken.md(7,", StringComparison.Ordinal) && e.Contains("CS0103", StringComparison.Ordinal) && e.Contains("undeclaredFrames", StringComparison.Ordinal));
    }

    [Fact]
    public void Compile_RejectsABlockThatUsesAVariableOfAnEarlierBlock_WithoutContinues()
    {
        var second = DocSnippet.Parse("x.md", Markdown.Replace("<!-- snippet: continues -->", "", StringComparison.Ordinal))[1];

        SnippetCompiler.Errors(SnippetCompiler.Compile(SnippetCompiler.ProgramText(second), second.File)).Should().Contain(e => e.Contains("CS0103", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_RejectsAnUnknownDirective()
    {
        var parse = () => DocSnippet.Parse("x.md", "<!-- snippet: compile-only -->\n```csharp\nvar x = 1;\n```\n");

        parse.Should().Throw<FormatException>().WithMessage("x.md:1: unknown snippet directive*");
    }

    [Fact]
    public void Run_PropagatesTheExceptionOfABlock()
    {
        var compilation = SnippetCompiler.Compile("throw new System.InvalidOperationException(\"from the block\");");

        var run = () => SnippetCompiler.Run(compilation);

        run.Should().Throw<InvalidOperationException>().WithMessage("from the block");
    }
}
