using System.Runtime.InteropServices;

namespace DSpib.Devices;

/// <summary>
/// Keeps freed native memory in the C heap instead of handing it back to the kernel after every step.
/// </summary>
/// <remarks>
/// libtorch allocates each large intermediate tensor (a few MiB for 8,192 score-network rows) with <c>malloc</c>.
/// In a .NET process glibc serves them from <c>mmap</c> and returns them with <c>munmap</c> or a heap trim when they
/// are freed, so the next step touches fresh pages: on the reference machine a D-SPIB step spent 80 % of its time in
/// page faults (2.2 million in 20 s, 115 ms a step instead of 21 ms). Fixing glibc's mmap threshold at 32 MiB and its
/// trim threshold at 256 MiB (<c>mallopt</c>, process-wide) keeps those blocks for reuse; the cost is that up to that
/// much freed memory per heap arena stays mapped. Applied once per process, on Linux with glibc only.
/// </remarks>
internal static class NativeHeap
{
    private const int TrimThresholdOption = -1; // M_TRIM_THRESHOLD
    private const int MmapThresholdOption = -3; // M_MMAP_THRESHOLD
    private const int MmapThresholdBytes = 32 * 1024 * 1024; // glibc's largest allowed mmap threshold on 64-bit
    private const int TrimThresholdBytes = 256 * 1024 * 1024;

    private static int _applied;

    /// <summary>Whether the setting was applied in this process.</summary>
    public static bool IsRetainingFreedMemory => Volatile.Read(ref _applied) == 1;

    /// <summary>Applies the setting once; returns whether it is in effect (false on other platforms or C libraries).</summary>
    public static bool RetainFreedMemory()
    {
        if (IsRetainingFreedMemory)
        {
            return true;
        }

        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            // mallopt returns 1 on success; both values are within glibc's accepted ranges.
            var ok = SetOption(MmapThresholdOption, MmapThresholdBytes) == 1 & SetOption(TrimThresholdOption, TrimThresholdBytes) == 1;
            if (ok)
            {
                Volatile.Write(ref _applied, 1);
            }

            return ok;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (for example musl without mallopt): its allocator keeps its own behaviour.
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetOption(int option, int value);
}
