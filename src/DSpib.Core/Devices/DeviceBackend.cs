using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace DSpib.Devices;

/// <summary>
/// Where and in which precision a model's tensors live. Models and data are moved to
/// <see cref="Device"/> before training, and optimizers are created after the move.
/// </summary>
/// <remarks>
/// Implement this class to plug in another device (for example a specific CUDA device chosen by
/// a scheduler); <see cref="Cpu"/>, <see cref="Cuda"/> and <see cref="Auto"/> cover the usual cases.
/// The native TorchSharp backend package (CPU or CUDA build of libtorch) is chosen by the application,
/// not by this library.
/// </remarks>
public abstract class DeviceBackend
{
    /// <summary>Creates a backend with the given precision.</summary>
    /// <param name="precision">Precision of model parameters and data tensors.</param>
    protected DeviceBackend(TensorPrecision precision)
    {
        if (!Enum.IsDefined(precision))
        {
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "Use TensorPrecision.Float32 or TensorPrecision.Float64.");
        }

        Precision = precision;
    }

    /// <summary>A short human-readable name, such as <c>cpu</c> or <c>cuda:0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The TorchSharp device tensors are placed on (advanced use).</summary>
    public abstract torch.Device Device { get; }

    /// <summary>Precision of model parameters and data tensors.</summary>
    public TensorPrecision Precision { get; }

    /// <summary>The TorchSharp scalar type that corresponds to <see cref="Precision"/>.</summary>
    public torch.ScalarType ScalarType => Precision == TensorPrecision.Float64 ? torch.ScalarType.Float64 : torch.ScalarType.Float32;

    /// <summary>
    /// Applies process-wide settings this backend was explicitly asked for (such as a CPU thread count)
    /// before a model is built or trained on it. The default does nothing.
    /// </summary>
    public virtual void Activate()
    {
    }

    /// <summary>
    /// The CPU backend.
    /// </summary>
    /// <param name="threads">
    /// Intra-op thread count for libtorch, or <see langword="null"/> to leave the process-wide setting alone.
    /// The setting is global to the process (a libtorch limitation) and is applied when a model on this backend is built or trained.
    /// </param>
    /// <param name="precision">Tensor precision.</param>
    /// <param name="retainFreedMemory">
    /// Keep freed native memory in the C heap for reuse (default), so that every training or sampling step does not
    /// map fresh pages for its large intermediate tensors; on Linux with glibc this is about 5x faster for a D-SPIB
    /// step. Process-wide (glibc's mmap and trim thresholds, set once when the backend is activated); up to 256 MiB
    /// of freed memory per heap arena then stays mapped. Has no effect on other platforms.
    /// </param>
    public static CpuBackend Cpu(int? threads = null, TensorPrecision precision = TensorPrecision.Float32, bool retainFreedMemory = true) =>
        new(threads, precision, retainFreedMemory);

    /// <summary>
    /// A CUDA device. Throws <see cref="DeviceUnavailableException"/> at once when no CUDA runtime or no such device is present.
    /// </summary>
    /// <param name="index">Zero-based CUDA device index.</param>
    /// <param name="precision">Tensor precision.</param>
    public static CudaBackend Cuda(int index = 0, TensorPrecision precision = TensorPrecision.Float32) => new(index, precision);

    /// <summary>
    /// CUDA device 0 when a CUDA runtime and device are present, otherwise the CPU; the choice is logged at information level.
    /// </summary>
    /// <param name="logger">Receives one message naming the chosen backend; <see langword="null"/> for none.</param>
    /// <param name="precision">Tensor precision.</param>
    public static DeviceBackend Auto(ILogger? logger = null, TensorPrecision precision = TensorPrecision.Float32)
    {
        logger ??= NullLogger.Instance;
        var cudaAvailable = CudaBackend.IsRuntimeAvailable(out var reason);
        if (cudaAvailable)
        {
            var backend = new CudaBackend(0, precision);
            DeviceLog.ChoseBackend(logger, backend.Name, "a CUDA runtime and device were found");
            return backend;
        }

        var cpu = Cpu(precision: precision);
        DeviceLog.ChoseBackend(logger, cpu.Name, reason);
        return cpu;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Precision})";
}
