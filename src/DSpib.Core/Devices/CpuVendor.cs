using System.Runtime.Intrinsics.X86;

namespace DSpib.Devices;

/// <summary>The processor's vendor, as CPUID leaf 0 names it ("GenuineIntel", "AuthenticAMD", ...).</summary>
internal static class CpuVendor
{
    /// <summary>The vendor string of Intel processors.</summary>
    public const string Intel = "GenuineIntel";

    private static readonly Lazy<string> Detected = new(Detect);

    /// <summary>This processor's vendor string, or "unknown" off x86.</summary>
    public static string Current => Detected.Value;

    private static string Detect()
    {
        if (!X86Base.IsSupported)
        {
            return "unknown";
        }

        // Leaf 0 spells the vendor in EBX, EDX, ECX, four ASCII characters each, low byte first.
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        Span<byte> name = stackalloc byte[12];
        BitConverter.TryWriteBytes(name[..4], ebx);
        BitConverter.TryWriteBytes(name[4..8], edx);
        BitConverter.TryWriteBytes(name[8..], ecx);
        return System.Text.Encoding.ASCII.GetString(name);
    }
}
