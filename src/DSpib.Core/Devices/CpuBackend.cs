using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace DSpib.Devices;

/// <summary>Runs models on the CPU through libtorch.</summary>
public sealed class CpuBackend : DeviceBackend
{
    private readonly ILogger _logger;
    private readonly ProductPrecisionSwitch _switch;
    private readonly string _cpuVendor;
    private int _reported;
    private ProductPrecision? _productsInEffect;

    internal CpuBackend(int? threads, TensorPrecision precision, ProductPrecision? products = null, ILogger? logger = null, ProductPrecisionSwitch? productSwitch = null, string? cpuVendor = null)
        : base(DeviceKind.Cpu, 0, precision)
    {
        if (threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "The CPU thread count must be at least 1, or null to keep the process-wide setting.");
        }

        if (products is { } requested && !Enum.IsDefined(requested))
        {
            throw new ArgumentOutOfRangeException(nameof(products), products, "Use ProductPrecision.Exact, FastFloat32 or BFloat16, or null to keep the process-wide setting.");
        }

        Threads = threads;
        Products = products;
        _logger = logger ?? NullLogger.Instance;
        _switch = productSwitch ?? ProductPrecisionSwitch.LibTorch;
        _cpuVendor = cpuVendor ?? CpuVendor.Current;
    }

    /// <summary>The requested intra-op thread count, or <see langword="null"/> when the process-wide setting is kept.</summary>
    public int? Threads { get; }

    /// <summary>
    /// The requested product precision, or <see langword="null"/> for the default: the process-wide float32 setting is
    /// kept, and the score network computes in bfloat16 where the CPU has AVX512_BF16 and is not an Intel processor (see
    /// <see cref="ProductsInEffect"/>).
    /// </summary>
    public ProductPrecision? Products { get; }

    /// <summary>
    /// The products in effect since this backend was last activated: the requested precision where it took effect,
    /// <see cref="ProductPrecision.Exact"/> when fast or bfloat16 products were asked for but are not available here
    /// (with bfloat16 this means the score network computes in the model's own type). With the default
    /// (<see cref="Products"/> <see langword="null"/>), <see cref="ProductPrecision.BFloat16"/> where the CPU has
    /// AVX512_BF16, is not an Intel processor and the tensors are float32, otherwise <see langword="null"/> (the
    /// process's float32 setting). Also <see langword="null"/> before <see cref="Activate"/>.
    /// </summary>
    public ProductPrecision? ProductsInEffect => _productsInEffect;

    /// <summary>
    /// Sets libtorch's intra-op thread count and float32 product precision, process-wide, when this backend was given
    /// them, and decides the score network's product type. A requested product precision that cannot be applied leaves
    /// products exact; the first such outcome is logged. The default's choice is logged at debug level.
    /// </summary>
    public override void Activate()
    {
        if (Threads is int threads && torch.get_num_threads() != threads)
        {
            torch.set_num_threads(threads);
        }

        if (Products is not { } requested)
        {
            // The default: bfloat16 score-network products where they are faster, silently otherwise. They change no
            // measured science figure beyond seed-to-seed noise. On an AMD EPYC with AVX512_BF16, where libtorch's MKL
            // runs float32 products at under half speed, they make the training step and sampling 1.7-2.3x faster; on
            // an Intel Xeon with AVX512_BF16 (no AMX), where MKL runs at full speed, they made the same work 1.3-1.4x
            // slower (docs/performance.md). Exact is one argument away, BFloat16 too.
            var automatic = Precision != TensorPrecision.Float32 ? ProductPrecisionOutcome.Exact
                : _cpuVendor == CpuVendor.Intel ? ProductPrecisionOutcome.Fallback("on Intel processors MKL computes float32 products at full speed, faster than bfloat16 without AMX", unexpected: false)
                : _switch.Apply(ProductPrecision.BFloat16);
            _productsInEffect = automatic.InEffect == ProductPrecision.BFloat16 ? ProductPrecision.BFloat16 : null;
            if (Interlocked.Exchange(ref _reported, 1) == 0)
            {
                DeviceLog.DefaultProducts(_logger, _productsInEffect == ProductPrecision.BFloat16, automatic.Reason ?? "float64 tensors");
            }

            return;
        }

        var outcome = requested == ProductPrecision.BFloat16 && Precision != TensorPrecision.Float32
            ? ProductPrecisionOutcome.Fallback("bfloat16 products are for float32 models, and this backend's tensors are float64", unexpected: false)
            : _switch.Apply(requested);
        _productsInEffect = outcome.InEffect;
        if (Interlocked.Exchange(ref _reported, 1) == 0)
        {
            Report(requested, outcome);
        }
    }

    /// <inheritdoc />
    internal override torch.ScalarType? ReducedProductType => _productsInEffect == ProductPrecision.BFloat16 ? torch.ScalarType.BFloat16 : null;

    /// <inheritdoc />
    public override string ToString() => Products is { } products ? $"{base.ToString()}, {products} products" : base.ToString();

    private void Report(ProductPrecision requested, ProductPrecisionOutcome outcome)
    {
        if (outcome.Reason is null)
        {
            DeviceLog.ProductsApplied(_logger, outcome.InEffect);
        }
        else if (outcome.Unexpected)
        {
            DeviceLog.ProductsFailed(_logger, requested, outcome.InEffect, outcome.Reason);
        }
        else
        {
            DeviceLog.ProductsUnavailable(_logger, requested, outcome.InEffect, outcome.Reason);
        }
    }
}
