using System.Diagnostics;
using System.Globalization;

namespace DSpib.Samples;

/// <summary>
/// The command-line life of a sample: parse the options, run with the first Ctrl+C cancelling between two steps,
/// print the summary's table and where the results are, and turn each outcome into an exit code.
/// </summary>
public static class SampleRunner
{
    /// <summary>Runs a sample; returns 0 on success, 1 when <paramref name="failure"/> says so or the run stopped with an <see cref="InvalidOperationException"/> (its message printed), 2 for bad options, 130 when cancelled.</summary>
    /// <typeparam name="TOptions">The sample's settings.</typeparam>
    /// <typeparam name="TSummary">What a run produces.</typeparam>
    /// <param name="args">The command line.</param>
    /// <param name="parse">Parses the command line; throws <see cref="ArgumentException"/> naming a bad option.</param>
    /// <param name="execute">The run, writing its progress to the given writer.</param>
    /// <param name="table">The short table printed at the end.</param>
    /// <param name="outputFolder">Where the run wrote its results.</param>
    /// <param name="failure">A message when a finished run did not reach its result, or null when it did.</param>
    public static int Run<TOptions, TSummary>(
        IReadOnlyList<string> args,
        Func<IReadOnlyList<string>, TOptions> parse,
        Func<TOptions, TextWriter, CancellationToken, TSummary> execute,
        Func<TSummary, string> table,
        Func<TOptions, string> outputFolder,
        Func<TSummary, string?>? failure = null)
    {
        // An application's process-wide choice: the C heap keeps freed native memory for reuse (several times faster
        // D-SPIB steps on Linux; see NativeHeap).
        DSpib.Devices.NativeHeap.RetainFreedMemory();
        TOptions options;
        try
        {
            options = parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler stopBetweenSteps = (_, e) =>
        {
            // The first Ctrl+C stops the run between two steps instead of killing the process.
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += stopBetweenSteps;
        try
        {
            var stopwatch = Stopwatch.StartNew();
            TSummary summary;
            try
            {
                summary = execute(options, Console.Out, cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("Cancelled; no results were written.");
                return 130;
            }
            catch (InvalidOperationException ex)
            {
                // A run that cannot go on with these settings (training whose states collapsed into one, say): the
                // library's message says why and what to change, which is what the user needs, not a stack trace.
                Console.Error.WriteLine($"The run stopped: {ex.Message}");
                return 1;
            }

            Console.WriteLine();
            Console.WriteLine(table(summary));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {stopwatch.Elapsed.TotalSeconds:F0} s. Results and pictures: {Path.GetFullPath(outputFolder(options))}"));
            var message = failure?.Invoke(summary);
            if (message is not null)
            {
                Console.Error.WriteLine(message);
                return 1;
            }

            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= stopBetweenSteps;
        }
    }
}
