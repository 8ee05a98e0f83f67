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

    private static readonly Action<ILogger, ProductPrecision, Exception?> ProductsAppliedMessage =
        LoggerMessage.Define<ProductPrecision>(LogLevel.Information, new EventId(101, nameof(ProductsApplied)), "Float32 products of the whole process are now {Products}.");

    private static readonly Action<ILogger, ProductPrecision, ProductPrecision, string, Exception?> ProductsUnavailableMessage =
        LoggerMessage.Define<ProductPrecision, ProductPrecision, string>(LogLevel.Warning, new EventId(102, nameof(ProductsUnavailable)), "{Requested} products are not available, float32 products stay {Products}: {Reason}.");

    private static readonly Action<ILogger, ProductPrecision, ProductPrecision, string, Exception?> ProductsFailedMessage =
        LoggerMessage.Define<ProductPrecision, ProductPrecision, string>(LogLevel.Warning, new EventId(103, nameof(ProductsFailed)), "{Requested} products could not be set, float32 products are {Products}: {Reason}.");

    public static void ChoseBackend(ILogger logger, string backend, string reason) => ChoseBackendMessage(logger, backend, reason, null);

    public static void ProductsApplied(ILogger logger, ProductPrecision products) => ProductsAppliedMessage(logger, products, null);

    public static void ProductsUnavailable(ILogger logger, ProductPrecision requested, ProductPrecision products, string reason) =>
        ProductsUnavailableMessage(logger, requested, products, reason, null);

    public static void ProductsFailed(ILogger logger, ProductPrecision requested, ProductPrecision products, string reason) =>
        ProductsFailedMessage(logger, requested, products, reason, null);
}
