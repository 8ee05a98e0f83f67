using System.Runtime.InteropServices;

namespace DSpib.Devices;

/// <summary>
/// Lets the C heap keep freed native memory for reuse instead of handing it back to the kernel after every step: a
/// process-wide setting that an application applies explicitly, once, at start-up. The library never applies it.
/// </summary>
/// <remarks>
/// libtorch allocates each large intermediate tensor (a few MiB for 8,192 score-network rows) with <c>malloc</c>.
/// In a .NET process glibc serves them from <c>mmap</c> and returns them with <c>munmap</c> or a heap trim when they
/// are freed, so the next step touches fresh pages: on an AMD EPYC machine a D-SPIB step spent 80 % of its time in page
/// faults (115 ms a step instead of 21 ms; docs/performance.md). Fixing glibc's mmap threshold at 32 MiB and its trim
/// threshold at 256 MiB (<c>mallopt</c>) keeps those blocks for reuse; the cost is that up to that much freed memory
/// per heap arena stays mapped, for every library of the process. Linux with glibc only; elsewhere nothing changes.
/// </remarks>
public static class NativeHeap
{
    private const int TrimThresholdOption = -1; // M_TRIM_THRESHOLD
    private const int MmapThresholdOption = -3; // M_MMAP_THRESHOLD
    private const int MmapThresholdBytes = 32 * 1024 * 1024; // glibc's largest allowed mmap threshold on 64-bit
    private const int TrimThresholdBytes = 256 * 1024 * 1024;

    private static int _applied;

    /// <summary>Whether the setting was applied in this process.</summary>
    public static bool IsRetainingFreedMemory => Volatile.Read(ref _applied) == 1;

    /// <summary>
    /// Applies the setting to the whole process (once; later calls do nothing); returns whether it is in effect (false
    /// on other platforms or C libraries).
    /// </summary>
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
