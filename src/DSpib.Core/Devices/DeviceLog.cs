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

    public static void ChoseBackend(ILogger logger, string backend, string reason) => ChoseBackendMessage(logger, backend, reason, null);
}
