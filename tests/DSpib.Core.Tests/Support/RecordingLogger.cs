using Microsoft.Extensions.Logging;

namespace DSpib.Core.Tests.Support;

/// <summary>Keeps every formatted log message, for asserting what a component logged.</summary>
internal sealed class RecordingLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Messages { get; } = [];

    /// <summary>The errors logged, with their event id and the exception each carried.</summary>
    public List<(int EventId, string Message, Exception? Exception)> Errors { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        Messages.Add((logLevel, message));
        if (logLevel >= LogLevel.Error)
        {
            Errors.Add((eventId.Id, message, exception));
        }
    }
}
