namespace DSpib.Core.Tests.Support;

/// <summary>
/// Calls the handler on the reporting thread at once (unlike <see cref="Progress{T}"/>, which posts to the thread
/// pool), so tests see reports in order and before Fit returns.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
