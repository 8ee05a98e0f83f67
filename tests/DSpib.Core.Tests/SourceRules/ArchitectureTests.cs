namespace DSpib.Core.Tests.SourceRules;

/// <summary>
/// The folders of DSpib.Core depend on each other only along the data flow written down in docs/architecture.md:
/// every namespace may use the ones listed for it, and no others, so there are no cycles.
/// </summary>
public sealed class ArchitectureTests
{
    /// <summary>What each namespace may use (besides itself). Keep in step with docs/architecture.md.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["DSpib.Internal"] = [],
        ["DSpib.Devices"] = ["DSpib.Internal"],
        ["DSpib.Data"] = ["DSpib.Internal", "DSpib.Data.IO"],
        ["DSpib.Data.IO"] = ["DSpib.Internal"],
        ["DSpib.Featurization"] = ["DSpib.Internal", "DSpib.Data.IO"],
        ["DSpib.Analysis"] = ["DSpib.Internal"],
        ["DSpib.Networks"] = ["DSpib.Internal"],
        ["DSpib.Persistence"] = ["DSpib.Internal", "DSpib.Data.IO"],
        ["DSpib.Spib"] = ["DSpib.Internal", "DSpib.Networks", "DSpib.Devices", "DSpib.Data"],
        ["DSpib.Diffusion"] = ["DSpib.Internal", "DSpib.Networks", "DSpib.Devices", "DSpib.Analysis"],
        ["DSpib"] = ["DSpib.Internal", "DSpib.Networks", "DSpib.Devices", "DSpib.Data", "DSpib.Data.IO", "DSpib.Analysis", "DSpib.Spib", "DSpib.Diffusion", "DSpib.Persistence"],
        ["DSpib.Training"] = ["DSpib.Internal", "DSpib.Networks", "DSpib.Devices", "DSpib.Data", "DSpib.Data.IO", "DSpib.Spib", "DSpib.Diffusion", "DSpib.Persistence", "DSpib"],
        ["DSpib.Interop"] = ["DSpib.Internal", "DSpib.Networks", "DSpib.Data", "DSpib.Data.IO", "DSpib.Analysis", "DSpib.Spib", "DSpib"],
    };

    [Fact]
    public void EveryNamespaceUsesOnlyTheNamespacesItMay()
    {
        var dependencies = NamespaceDependencies.Of(typeof(DSpibModel).Assembly);

        var violations = dependencies
            .Where(d => d.Key.From.StartsWith("DSpib", StringComparison.Ordinal) && d.Key.To.StartsWith("DSpib", StringComparison.Ordinal) && !(Allowed.TryGetValue(d.Key.From, out var allowed) && allowed.Contains(d.Key.To)))
            .Select(d => $"{d.Key.From} -> {d.Key.To}: {d.Value}")
            .Order(StringComparer.Ordinal)
            .ToList();

        violations.Should().BeEmpty("docs/architecture.md lists what each folder may use:{0}{1}", Environment.NewLine, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void EveryNamespaceOfTheLibraryHasItsRule()
    {
        var namespaces = typeof(DSpibModel).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .Where(n => n is not null && n.StartsWith("DSpib", StringComparison.Ordinal))
            .Distinct();

        namespaces.Should().OnlyContain(n => Allowed.ContainsKey(n!), "a new folder needs its place in the dependency rules");
    }

    [Fact]
    public void TheAllowedDependenciesHaveNoCycle()
    {
        var visiting = new HashSet<string>();
        var done = new HashSet<string>();
        bool Cyclic(string name) =>
            !done.Contains(name) && (!visiting.Add(name) || Allowed.GetValueOrDefault(name, []).Any(Cyclic) || !done.Add(name) || !visiting.Remove(name));

        Allowed.Keys.Where(Cyclic).Should().BeEmpty();
    }

    [Fact]
    public void TheScan_FindsAUseInAMethodBody()
    {
        var dependencies = NamespaceDependencies.Of(typeof(ArchitectureTests).Assembly);

        dependencies.Should().ContainKey(("DSpib.Core.Tests.SourceRules.Probe", "DSpib.Core.Tests.SourceRules"));
    }
}
