namespace DSpib.Core.Tests.Support;

/// <summary>A fact about behaviour on Linux; skipped, with the reason shown, elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FactOnLinuxAttribute : FactAttribute
{
    public FactOnLinuxAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "The behaviour is Linux's (glibc, /proc).";
        }
    }
}
