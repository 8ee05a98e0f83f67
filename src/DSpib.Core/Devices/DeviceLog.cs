using Microsoft.Extensions.Logging;

namespace DSpib.Devices;

/// <remarks>
/// Written with <see cref="LoggerMessage.Define{T1, T2}(LogLevel, EventId, string)"/> rather than [LoggerMessage]:
/// the logging source generator of Microsoft.Extensions.Logging 10 emits the log classes of an assembly in varying
/// order (dotnet/runtime#119587), so the assembly is reproducible only while one class (TrainingLog) uses it.
/// </remarks>
internal static class DeviceLog
{
    private static readonly Action<ILogger, string, string, Exception?> ChoseBackendMessage =
        LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(100, nameof(ChoseBackend)), "Using device backend {Backend}: {Reason}.");

    private static readonly Action<ILogger, ProductPrecision, string, Exception?> ProductsAppliedMessage =
        LoggerMessage.Define<ProductPrecision, string>(LogLevel.Information, new EventId(101, nameof(ProductsApplied)), "Products are now {Products}: {Meaning}.");

    private static readonly Action<ILogger, ProductPrecision, ProductPrecision, string, Exception?> ProductsUnavailableMessage =
        LoggerMessage.Define<ProductPrecision, ProductPrecision, string>(LogLevel.Warning, new EventId(102, nameof(ProductsUnavailable)), "{Requested} products are not available, float32 products stay {Products}: {Reason}.");

    private static readonly Action<ILogger, ProductPrecision, ProductPrecision, string, Exception?> ProductsFailedMessage =
        LoggerMessage.Define<ProductPrecision, ProductPrecision, string>(LogLevel.Warning, new EventId(103, nameof(ProductsFailed)), "{Requested} products could not be set, float32 products are {Products}: {Reason}.");

    private static readonly Action<ILogger, string, Exception?> DefaultProductsMessage =
        LoggerMessage.Define<string>(LogLevel.Debug, new EventId(104, nameof(DefaultProducts)), "Default products: {Choice}.");

    public static void ChoseBackend(ILogger logger, string backend, string reason) => ChoseBackendMessage(logger, backend, reason, null);

    public static void ProductsApplied(ILogger logger, ProductPrecision products) => ProductsAppliedMessage(logger, products, Meaning(products), null);

    /// <summary>What the default (no requested precision) chose; <paramref name="why"/> says why bfloat16 was not taken.</summary>
    public static void DefaultProducts(ILogger logger, bool bfloat16, string why) =>
        DefaultProductsMessage(logger, bfloat16 ? Meaning(ProductPrecision.BFloat16) : $"every product in the model's type ({why})", null);

    private static string Meaning(ProductPrecision products) => products switch
    {
        ProductPrecision.FastFloat32 => "float32 products of the whole process go through oneDNN, which may round their operands to bfloat16",
        ProductPrecision.BFloat16 => "the score network computes its hidden products in bfloat16, other products keep the process's float32 setting",
        _ => "float32 products of the whole process are exact",
    };

    public static void ProductsUnavailable(ILogger logger, ProductPrecision requested, ProductPrecision products, string reason) =>
        ProductsUnavailableMessage(logger, requested, products, reason, null);

    public static void ProductsFailed(ILogger logger, ProductPrecision requested, ProductPrecision products, string reason) =>
        ProductsFailedMessage(logger, requested, products, reason, null);
}
