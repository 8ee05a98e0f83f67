using TorchSharp;

namespace DSpib.Devices;

/// <summary>Runs models on the CPU through libtorch.</summary>
public sealed class CpuBackend : DeviceBackend
{
    internal CpuBackend(int? threads, TensorPrecision precision)
        : base(DeviceKind.Cpu, 0, precision)
    {
        if (threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "The CPU thread count must be at least 1, or null to keep the process-wide setting.");
        }

        Threads = threads;
    }

    /// <summary>The requested intra-op thread count, or <see langword="null"/> when the process-wide setting is kept.</summary>
    public int? Threads { get; }

    /// <summary>Sets libtorch's intra-op thread count, process-wide, when this backend was given one.</summary>
    public override void Activate()
    {
        if (Threads is int threads && torch.get_num_threads() != threads)
        {
            torch.set_num_threads(threads);
        }
    }
}
