using TorchSharp;

namespace DSpib.Devices;

/// <summary>Runs models on the CPU through libtorch.</summary>
public sealed class CpuBackend : DeviceBackend
{
    internal CpuBackend(int? threads, TensorPrecision precision, bool retainFreedMemory)
        : base(precision)
    {
        if (threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "The CPU thread count must be at least 1, or null to keep the process-wide setting.");
        }

        Threads = threads;
        RetainsFreedMemory = retainFreedMemory;
    }

    /// <summary>The requested intra-op thread count, or <see langword="null"/> when the process-wide setting is kept.</summary>
    public int? Threads { get; }

    /// <summary>
    /// Whether activating this backend keeps freed native memory in the C heap for reuse (Linux with glibc), instead of
    /// returning it to the kernel after every step; see <see cref="DeviceBackend.Cpu"/>.
    /// </summary>
    public bool RetainsFreedMemory { get; }

    /// <inheritdoc />
    public override string Name => "cpu";

    /// <inheritdoc />
    public override torch.Device Device => torch.CPU;

    /// <inheritdoc />
    public override void Activate()
    {
        if (Threads is int threads && torch.get_num_threads() != threads)
        {
            torch.set_num_threads(threads);
        }

        if (RetainsFreedMemory)
        {
            NativeHeap.RetainFreedMemory();
        }
    }
}
