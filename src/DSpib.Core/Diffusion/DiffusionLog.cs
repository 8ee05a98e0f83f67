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

    private static readonly Action<ILogger, double, double, double, Exception?> ExtrapolatingMessage =
        LoggerMessage.Define<double, double, double>(
            LogLevel.Warning,
            new EventId(301, nameof(Extrapolating)),
            "k_B T = {Temperature} is outside the training temperatures ({Lowest} to {Highest}): the prior extrapolates, and its error grows with the distance (docs/how-to/temperatures.md, supported temperatures).");

    private static readonly Action<ILogger, string, Exception?> NonFiniteMessage =
        LoggerMessage.Define<string>(LogLevel.Error, new EventId(302, nameof(NonFinite)), "{Description}");

    public static void Extrapolating(ILogger logger, double temperature, double lowest, double highest) => ExtrapolatingMessage(logger, temperature, lowest, highest, null);

    public static void NonFinite(ILogger logger, string description) => NonFiniteMessage(logger, description, null);

    public static void MarginalGridTruncates(ILogger logger, int dimension, string range, double ratio) => MarginalGridTruncatesMessage(logger, dimension, range, ratio, null);
}
