using System.Runtime.CompilerServices;
using DSpib.Devices;

namespace DSpib.Core.Tests.Support;

/// <summary>
/// The process-wide settings the test process asks for at start-up, as an application that trains much would: the C
/// heap keeps freed native memory (without it D-SPIB steps are several times slower on Linux).
/// </summary>
internal static class TestProcessSettings
{
    [ModuleInitializer]
    internal static void Apply() => NativeHeap.RetainFreedMemory();
}
