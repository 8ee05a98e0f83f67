namespace DSpib.Core.Tests.Support;

/// <summary>
/// Runs code that reads a hostile file on a thread of its own, with a time limit, and measures the managed memory it
/// allocates (<see cref="GC.GetAllocatedBytesForCurrentThread"/> on that thread, before and after).
/// </summary>
internal static class Bounded
{
    /// <summary>What a bounded run did: the bytes it allocated and what it threw, if anything.</summary>
    public sealed record Outcome(long AllocatedBytes, Exception? Error, TimeSpan Elapsed)
    {
        public override string ToString() =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"allocated {AllocatedBytes:N0} bytes in {Elapsed.TotalMilliseconds:F1} ms, {(Error is null ? "returned" : "threw " + Error.GetType().Name)}");
    }

    /// <summary>
    /// Runs <paramref name="action"/> and returns what it allocated and threw. A run still going after
    /// <paramref name="limit"/> fails the test (its thread is left behind as a background thread).
    /// </summary>
    public static Outcome Run(Action action, TimeSpan? limit = null)
    {
        Outcome? outcome = null;
        var thread = new Thread(() =>
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var before = GC.GetAllocatedBytesForCurrentThread();
            Exception? error = null;
            try
            {
                action();
            }
            catch (Exception e)
            {
                error = e;
            }

            outcome = new Outcome(GC.GetAllocatedBytesForCurrentThread() - before, error, stopwatch.Elapsed);
        })
        { IsBackground = true };
        thread.Start();
        var timeLimit = limit ?? TimeSpan.FromSeconds(20);
        if (!thread.Join(timeLimit))
        {
            throw new TimeoutException($"The read did not finish within {timeLimit.TotalSeconds} s.");
        }

        return outcome!;
    }
}
