using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DSpib.Internal;
using TorchSharp;

namespace DSpib.Devices;

/// <summary>
/// Where and in which precision a model's tensors live. Models and data are moved to
/// <see cref="Device"/> before training, and optimizers are created after the move.
/// </summary>
/// <remarks>
/// Derive from this class to plug in another device choice (for example a specific CUDA device chosen by a
/// scheduler, or settings applied in <see cref="Activate"/>); <see cref="Cpu"/>, <see cref="Cuda"/> and
/// <see cref="Auto"/> cover the usual cases. The public surface names devices by <see cref="DeviceKind"/> and index,
/// not by TorchSharp types. The native TorchSharp backend package (CPU or CUDA build of libtorch) is chosen by the
/// application, not by this library.
/// </remarks>
public abstract class DeviceBackend
{
    private readonly torch.Device _device;

    /// <summary>Creates a backend for a device and precision.</summary>
    /// <param name="kind">The kind of device.</param>
    /// <param name="index">The device's index among those of its kind (0 for the CPU).</param>
    /// <param name="precision">Precision of model parameters and data tensors.</param>
    protected DeviceBackend(DeviceKind kind, int index, TensorPrecision precision)
    {
        Require.Defined(kind, nameof(kind), "use DeviceKind.Cpu or DeviceKind.Cuda");
        Require.AtLeast(index, 0, nameof(index), "use a device index from 0");
        Require.Defined(precision, nameof(precision), "use TensorPrecision.Float32 or TensorPrecision.Float64");
        Kind = kind;
        Index = index;
        Precision = precision;
        _device = kind == DeviceKind.Cpu ? torch.CPU : torch.device(DeviceType.CUDA, index);
    }

    /// <summary>A short human-readable name, such as <c>cpu</c> or <c>cuda:0</c>.</summary>
    public virtual string Name => Kind == DeviceKind.Cpu ? "cpu" : $"cuda:{Index}";

    /// <summary>The kind of device tensors are placed on.</summary>
    public DeviceKind Kind { get; }

    /// <summary>The device's index among those of its kind (0 for the CPU).</summary>
    public int Index { get; }

    /// <summary>Precision of model parameters and data tensors.</summary>
    public TensorPrecision Precision { get; }

    /// <summary>The TorchSharp device tensors are placed on.</summary>
    internal torch.Device Device => _device;

    /// <summary>The TorchSharp scalar type that corresponds to <see cref="Precision"/>.</summary>
    internal torch.ScalarType ScalarType => Precision == TensorPrecision.Float64 ? torch.ScalarType.Float64 : torch.ScalarType.Float32;

    /// <summary>
    /// The element type of the score network's reduced-precision products on this backend, or <see langword="null"/>
    /// for products in <see cref="ScalarType"/> (the default).
    /// </summary>
    internal virtual torch.ScalarType? ReducedProductType => null;

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
    /// <param name="products">
    /// How libtorch computes float32 matrix products, or <see langword="null"/> (the default) to leave the process-wide
    /// setting alone, which is exact products unless the application changed it. Like the thread count this is global
    /// to the process (a libtorch setting), applied when a model on this backend is built, loaded or trained, and not
    /// undone afterwards. <see cref="ProductPrecision.FastFloat32"/> takes effect only where libtorch supports it (CPUs
    /// with AVX-512), <see cref="ProductPrecision.BFloat16"/> only on CPUs with AVX512_BF16 and for float32 models;
    /// elsewhere products stay exact, <see cref="CpuBackend.ProductsInEffect"/> says so and
    /// <paramref name="logger"/> is told why, once.
    /// </param>
    /// <param name="logger">Receives one message about the product precision when one is requested; <see langword="null"/> for none.</param>
    /// <remarks>
    /// On Linux, an application that trains or samples much should also call <see cref="NativeHeap.RetainFreedMemory"/>
    /// once at start-up (process-wide; see there).
    /// </remarks>
    public static CpuBackend Cpu(int? threads = null, TensorPrecision precision = TensorPrecision.Float32, ProductPrecision? products = null, ILogger? logger = null) =>
        new(threads, precision, products, logger);

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
