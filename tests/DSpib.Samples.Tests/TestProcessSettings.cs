using System.Runtime.CompilerServices;
using DSpib.Devices;

namespace DSpib.Samples.Tests;

/// <summary>The process-wide setting the samples ask for at start-up, asked for here too since the tests run them in process.</summary>
internal static class TestProcessSettings
{
    [ModuleInitializer]
    internal static void Apply() => NativeHeap.RetainFreedMemory();
}
