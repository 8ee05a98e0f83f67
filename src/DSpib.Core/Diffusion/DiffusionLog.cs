using Microsoft.Extensions.Logging;

namespace DSpib.Diffusion;

/// <remarks>
/// Written with <see cref="LoggerMessage.Define{T1, T2}(LogLevel, EventId, string)"/> rather than [LoggerMessage], for
/// the reason given on <c>DeviceLog</c>: the assembly stays reproducible only while one class uses the source generator.
/// </remarks>
internal static class DiffusionLog
{
    private static readonly Action<ILogger, int, string, double, Exception?> MarginalGridTruncatesMessage =
        LoggerMessage.Define<int, string, double>(
            LogLevel.Warning,
            new EventId(300, nameof(MarginalGridTruncates)),
            "The marginal grid of the free-energy profile along z{Dimension} ({Range}) cuts off probability: the density at its edges is {Ratio:G3} of its peak. Widen the marginal grid for an exact profile.");

    public static void MarginalGridTruncates(ILogger logger, int dimension, string range, double ratio) => MarginalGridTruncatesMessage(logger, dimension, range, ratio, null);
}
