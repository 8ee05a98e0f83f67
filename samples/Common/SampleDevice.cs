using DSpib.Devices;
using Microsoft.Extensions.Logging;

namespace DSpib.Samples;

/// <summary>
/// The CPU backend of a sample from its command line: the thread count and the float32 product precision
/// (<c>--products default|exact|fast|bf16</c>); the thread count and a requested float32 precision are process-wide
/// settings the sample applies because its user asked for them.
/// </summary>
public static class SampleDevice
{
    /// <summary>The usage line of <c>--products</c>.</summary>
    public const string ProductsUsage = "  --products P                matrix products: default (the library's: the score network's in bfloat16 where the CPU has\n                              AVX512_BF16), exact (float32 everywhere), fast (float32 through oneDNN where the CPU has\n                              AVX-512), bf16 (as default, with a warning where the CPU cannot) (default)";

    /// <summary>The command-line name of a product precision.</summary>
    /// <param name="products">The precision.</param>
    public static string Name(ProductPrecision? products) => products switch
    {
        null => "default",
        ProductPrecision.FastFloat32 => "fast",
        ProductPrecision.BFloat16 => "bf16",
        _ => "exact",
    };

    /// <summary>Reads <c>--products</c>.</summary>
    /// <param name="line">The command line.</param>
    /// <param name="fallback">The default.</param>
    public static ProductPrecision? ParseProducts(CommandLine line, ProductPrecision? fallback)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.Choice("--products", Name(fallback), "default", "exact", "fast", "bf16") switch
        {
            "default" => null,
            "fast" => ProductPrecision.FastFloat32,
            "bf16" => ProductPrecision.BFloat16,
            _ => ProductPrecision.Exact,
        };
    }

    /// <summary>
    /// A CPU backend with the given threads and products whose messages (the product precision's outcome) go to
    /// <paramref name="log"/>.
    /// </summary>
    /// <param name="threads">libtorch threads.</param>
    /// <param name="products">Product precision, or <see langword="null"/> for the library's default.</param>
    /// <param name="log">Where the backend's messages are written.</param>
    public static CpuBackend Cpu(int threads, ProductPrecision? products, TextWriter log) =>
        DeviceBackend.Cpu(threads, products: products, logger: new WriterLogger(log));

    /// <summary>The products in effect after the backend was used, as a line of the run's log.</summary>
    /// <param name="backend">A backend that built, loaded or trained a model.</param>
    public static string Describe(CpuBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        return $"Products: {Name(backend.Products)} requested, {Name(backend.ProductsInEffect ?? ProductPrecision.Exact)} in effect.";
    }

    /// <summary>Writes information and above to a text writer, one line each.</summary>
    private sealed class WriterLogger(TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                writer.WriteLine($"  [{logLevel}] {formatter(state, exception)}");
            }
        }
    }
}
