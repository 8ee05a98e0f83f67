using Microsoft.Extensions.Logging;

namespace DSpib.Benchmarks;

/// <summary>Writes the backend's messages (such as why fast products are not available) to the console.</summary>
internal sealed class ConsoleLogger : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.WriteLine($"[{logLevel}] {formatter(state, exception)}");
        }
    }
}
