using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;

namespace DSpib.Devices;

/// <summary>Runs models on the CPU through libtorch.</summary>
public sealed class CpuBackend : DeviceBackend
{
    private readonly ILogger _logger;
    private readonly ProductPrecisionSwitch _switch;
    private int _reported;
    private ProductPrecision? _productsInEffect;

    internal CpuBackend(int? threads, TensorPrecision precision, ProductPrecision? products = null, ILogger? logger = null, ProductPrecisionSwitch? productSwitch = null)
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
    }

    /// <summary>The requested intra-op thread count, or <see langword="null"/> when the process-wide setting is kept.</summary>
    public int? Threads { get; }

    /// <summary>The requested float32 product precision, or <see langword="null"/> when the process-wide setting is kept.</summary>
    public ProductPrecision? Products { get; }

    /// <summary>
    /// The products in effect since this backend last applied <see cref="Products"/>: the requested precision where it
    /// took effect, <see cref="ProductPrecision.Exact"/> when fast or bfloat16 products were asked for but are not
    /// available here (with bfloat16 this means the score network computes in the model's own type), and
    /// <see langword="null"/> before <see cref="Activate"/> or when no product precision was requested.
    /// </summary>
    public ProductPrecision? ProductsInEffect => _productsInEffect;

    /// <summary>
    /// Sets libtorch's intra-op thread count and float32 product precision, process-wide, when this backend was given
    /// them. A product precision that cannot be applied leaves products exact; the first such outcome is logged.
    /// </summary>
    public override void Activate()
    {
        if (Threads is int threads && torch.get_num_threads() != threads)
        {
            torch.set_num_threads(threads);
        }

        if (Products is not { } requested)
        {
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
