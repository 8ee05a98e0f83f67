using System.CodeDom.Compiler;
using System.Reflection;

namespace DSpib.Core.Tests.Packaging;

public class ReproducibleBuildTests
{
    [Fact]
    public void LoggingSourceGenerator_IsUsedByOneClassOnly()
    {
        // The generator orders several log classes differently from build to build (dotnet/runtime#119587), so the
        // same commit would give different assemblies; docs/contributing.md says to keep [LoggerMessage] in one class.
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var logClasses = typeof(DSpibModel).Assembly.GetTypes()
            .Where(t => t.GetMembers(All).Any(m => m.GetCustomAttribute<GeneratedCodeAttribute>()?.Tool == "Microsoft.Extensions.Logging.Generators"))
            .Select(t => t.FullName)
            .ToArray();

        logClasses.Should().Equal("DSpib.Training.TrainingLog");
    }
}
