using Microsoft.Extensions.Logging;

namespace DSpib.Internal;

/// <summary>
/// Logs each failure once, as an error with the exception's own message, at the public call it leaves through. A host
/// that reads only its logs then sees the same facts as a caller that catches the exception. Used from exception
/// filters (<c>catch (Exception e) when (FailureLog.Record(...))</c>), which run before the stack unwinds and never
/// catch: the exception reaches the caller unchanged.
/// </summary>
/// <remarks>
/// Written with <see cref="LoggerMessage.Define{T1, T2}(LogLevel, EventId, string)"/> rather than [LoggerMessage], for
/// the reason given on <c>DeviceLog</c>: the assembly stays reproducible only while one class uses the source generator.
/// </remarks>
internal static class FailureLog
{
    /// <summary>The key under which an exception remembers that it was logged, so that nested calls log it once.</summary>
    private const string LoggedKey = "DSpib.FailureLogged";

    private static readonly Action<ILogger, string, string, Exception?> FailedMessage =
        LoggerMessage.Define<string, string>(LogLevel.Error, new EventId(400, "Failed"), "{Operation} failed: {Reason}");

    /// <summary>
    /// Logs <paramref name="exception"/> unless it was logged already or is a cancellation (which the caller asked
    /// for); always returns false, so that an exception filter calling it lets the exception pass.
    /// </summary>
    public static bool Record(ILogger logger, string operation, Exception exception)
    {
        if (exception is OperationCanceledException || exception.Data.Contains(LoggedKey))
        {
            return false;
        }

        MarkLogged(exception);
        FailedMessage(logger, operation, exception.Message, exception);
        return false;
    }

    /// <summary>Marks an exception whose facts were logged where it was made (with more context), so that <see cref="Record"/> does not log it again.</summary>
    public static TException MarkLogged<TException>(TException exception)
        where TException : Exception
    {
        if (!exception.Data.IsReadOnly)
        {
            exception.Data[LoggedKey] = true;
        }

        return exception;
    }
}
