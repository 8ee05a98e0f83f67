using Microsoft.Extensions.Logging;

namespace DSpib.Devices;

internal static partial class DeviceLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Using device backend {Backend}: {Reason}.")]
    public static partial void ChoseBackend(ILogger logger, string backend, string reason);
}
