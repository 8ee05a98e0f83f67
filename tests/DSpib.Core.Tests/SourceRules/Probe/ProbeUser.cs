namespace DSpib.Core.Tests.SourceRules.Probe;

/// <summary>Never called: a method body that uses a type of another namespace, for the dependency scan to find.</summary>
internal static class ProbeUser
{
    public static int Count() => IlTokens.Of([]).Count();
}
