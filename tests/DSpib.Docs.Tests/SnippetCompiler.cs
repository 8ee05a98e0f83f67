using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DSpib.Docs.Tests;

/// <summary>
/// Compiles documentation blocks as C# programs with top-level statements, against the running .NET and the DSpib
/// libraries, the way a console application with implicit usings would see them.
/// </summary>
public static class SnippetCompiler
{
    /// <summary>The global usings of a console application with ImplicitUsings enabled.</summary>
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    // A using directive (not a using statement or declaration such as "using var model = ...").
    private static readonly Regex UsingDirective = new(@"^\s*using\s+(static\s+)?[A-Za-z_][\w.]*(\s*=\s*[\w.<>, ]+)?\s*;\s*(//.*)?$", RegexOptions.Compiled);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>The program a block (with the blocks it continues) compiles to, with <c>#line</c> directives that point into the Markdown file.</summary>
    /// <param name="snippet">The last block of the chain.</param>
    public static string ProgramText(DocSnippet snippet)
    {
        var usings = new StringBuilder();
        var declarations = new StringBuilder();
        var bodies = new StringBuilder();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var block in snippet.Chain)
        {
            var path = block.File.Replace("\"", "", StringComparison.Ordinal);
            var lines = block.Code.Split('\n');
            var first = 0;
            while (first < lines.Length && (string.IsNullOrWhiteSpace(lines[first]) || UsingDirective.IsMatch(lines[first]) || lines[first].TrimStart().StartsWith("//", StringComparison.Ordinal)))
            {
                if (UsingDirective.IsMatch(lines[first]) && seen.Add(lines[first].Trim()))
                {
                    usings.Append(CultureInvariant($"#line {block.Line + 1 + first} \"{path}\"\n")).Append(lines[first]).Append('\n');
                }

                first++;
            }

            foreach (var declaration in block.Given.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                declarations.Append(CultureInvariant($"#line {block.GivenLine} \"{path}\"\n")).Append(declaration).Append(" = default!;\n");
            }

            bodies.Append(CultureInvariant($"#line {block.Line + 1 + first} \"{path}\"\n"));
            bodies.Append(string.Join('\n', lines[first..])).Append('\n');
        }

        return usings.ToString() + declarations + bodies;
    }

    /// <summary>Compiles C# source text (a program with top-level statements); returns the compilation.</summary>
    /// <param name="source">The program.</param>
    /// <param name="path">The file name used in diagnostics.</param>
    public static CSharpCompilation Compile(string source, string path = "snippet.cs")
    {
        var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText(ImplicitUsings, parse, "ImplicitUsings.g.cs"),
            CSharpSyntaxTree.ParseText(source, parse, path),
        };
        var options = new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release);
        return CSharpCompilation.Create("Snippet_" + Guid.NewGuid().ToString("N"), trees, References.Value, options);
    }

    /// <summary>The errors of a compilation, one per line, as file(line,column): error CSxxxx: message.</summary>
    /// <param name="compilation">The compilation.</param>
    public static IReadOnlyList<string> Errors(CSharpCompilation compilation) =>
        compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(Format).ToList();

    /// <summary>Emits a compilation, loads it and runs its entry point.</summary>
    /// <param name="compilation">A compilation without errors.</param>
    public static void Run(CSharpCompilation compilation)
    {
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException("The snippet does not compile:\n" + string.Join('\n', result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(Format)));
        }

        var assembly = Assembly.Load(image.ToArray());
        var entry = assembly.EntryPoint ?? throw new InvalidOperationException("The snippet has no entry point.");
        try
        {
            var value = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            if (value is Task task)
            {
                task.GetAwaiter().GetResult();
            }
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
        }
    }

    private static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var where = span.IsValid ? $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})" : "(no location)";
        return $"{where}: error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Every assembly the test host can load: the shared framework plus this project's dependencies (DSpib.Core,
        // DSpib.Systems, TorchSharp, MathNet.Numerics, ...), one per simple name.
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat([typeof(DSpibModel).Assembly.Location, typeof(DSpib.Systems.Potentials.ThreeHolePotential).Assembly.Location]);
        return paths
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(p))
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))
            .ToImmutableArray();
    }
}
