using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>What a reader did with one input: read it correctly, or refused it with its documented exception.</summary>
internal enum Verdict
{
    Read,
    Refused,
}

/// <summary>
/// A reader under fuzzing: its seed inputs, how to find its size fields, its own mutation (if any), how to read an
/// input and check a read against what the input holds, the exception type it documents, and the memory one read may
/// allocate.
/// </summary>
internal sealed class FuzzTarget
{
    public required string Name { get; init; }

    public required IReadOnlyList<byte[]> Seeds { get; init; }

    /// <summary>The exception type the reader documents for a bad file.</summary>
    public required Type DocumentedException { get; init; }

    /// <summary>Reads the input and throws <see cref="IncorrectReadException"/> when what it read is not what the input holds.</summary>
    public required Action<byte[], long> ReadAndCheck { get; init; }

    /// <summary>The most managed memory one read of an input of the given length may allocate.</summary>
    public required Func<int, long> AllocationBudget { get; init; }

    public Func<byte[], List<(int Offset, int Width)>>? SizeFields { get; init; }

    /// <summary>Whether the size fields are big-endian (XDR, as in .xtc files) rather than little-endian (zip, .npy).</summary>
    public bool BigEndianSizeFields { get; init; }

    public Func<Random, byte[], byte[]?>? Custom { get; init; }
}

/// <summary>A read that succeeded with a result that is not what the input holds.</summary>
internal sealed class IncorrectReadException(string message) : Exception(message);

/// <summary>One case that broke a rule: a crash (an undocumented exception), a wrong read, a hang or an allocation over budget.</summary>
internal sealed record FuzzFailure(long Case, MutationKind Kind, string Problem, byte[] Input)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"case {Case} ({Kind}, {Input.Length} bytes): {Problem}");
}

/// <summary>The counts of one fuzz run.</summary>
internal sealed class FuzzReport(string target, int seed)
{
    public string Target { get; } = target;

    public int Seed { get; } = seed;

    public long Cases { get; set; }

    public long Read { get; set; }

    public long Refused { get; set; }

    public Dictionary<MutationKind, long> ByKind { get; } = [];

    public List<FuzzFailure> Failures { get; } = [];

    public long MaxAllocatedBytes { get; set; }

    public long MaxAllocationInputLength { get; set; }

    public TimeSpan SlowestCase { get; set; }

    public long SlowestCaseNumber { get; set; }

    public TimeSpan Elapsed { get; set; }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Target}: {Cases} cases (seed {Seed}) in {Elapsed.TotalSeconds:F1} s: {Read} read correctly, {Refused} refused, {Failures.Count} failures; ");
        text.Append(CultureInfo.InvariantCulture, $"most allocated {MaxAllocatedBytes / 1024.0:F0} KiB (input of {MaxAllocationInputLength} bytes), slowest case {SlowestCase.TotalMilliseconds:F0} ms (case {SlowestCaseNumber}); by mutation: ");
        text.Append(string.Join(", ", ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        foreach (var failure in Failures.Take(10))
        {
            text.Append("\n  ").Append(failure);
        }

        return text.ToString();
    }
}

/// <summary>
/// Runs seeded mutations of a target's seeds through its reader on a worker thread, watched by the calling thread:
/// each case must end within the time limit, throw nothing but the documented exception, read correctly when it
/// reads, and allocate (<see cref="GC.GetAllocatedBytesForCurrentThread"/>) within the target's budget.
/// </summary>
internal static class FuzzRunner
{
    /// <summary>
    /// Runs <paramref name="cases"/> cases, or as many as fit in <paramref name="duration"/> when that is given. A case
    /// still running after <paramref name="caseLimit"/> is reported as a hang and ends the run (its thread cannot be
    /// stopped and is left behind as a background thread).
    /// </summary>
    public static FuzzReport Run(FuzzTarget target, int seed, long cases, TimeSpan caseLimit, TimeSpan? duration = null)
    {
        var report = new FuzzReport(target.Name, seed);
        var stopwatch = Stopwatch.StartNew();

        // The seeds themselves must read correctly (this also warms up the code, so that first-call costs are not
        // charged to the first mutation).
        foreach (var input in target.Seeds)
        {
            target.ReadAndCheck(input, -1);
        }

        long current = -1;
        var caseStarted = Stopwatch.GetTimestamp();
        var done = false;
        Exception? workerError = null;
        var worker = new Thread(() =>
        {
            try
            {
                for (long i = 0; i < cases && (duration is null || stopwatch.Elapsed < duration); i++)
                {
                    var random = Mutator.ForCase(seed, i);
                    var (input, kind) = Mutator.Mutate(random, target.Seeds, target.SizeFields, target.Custom, target.BigEndianSizeFields);
                    Volatile.Write(ref caseStarted, Stopwatch.GetTimestamp());
                    Volatile.Write(ref current, i);
                    RunCase(target, report, i, kind, input);
                }
            }
            catch (Exception e)
            {
                workerError = e;
            }

            Volatile.Write(ref done, true);
        })
        { IsBackground = true, Name = "fuzz " + target.Name };
        worker.Start();

        while (!worker.Join(TimeSpan.FromMilliseconds(50)))
        {
            var running = Stopwatch.GetElapsedTime(Volatile.Read(ref caseStarted));
            if (!Volatile.Read(ref done) && Volatile.Read(ref current) >= 0 && running > caseLimit)
            {
                var hung = Volatile.Read(ref current);
                var (input, kind) = Mutator.Mutate(Mutator.ForCase(seed, hung), target.Seeds, target.SizeFields, target.Custom, target.BigEndianSizeFields);
                lock (report)
                {
                    report.Failures.Add(new FuzzFailure(hung, kind, string.Create(CultureInfo.InvariantCulture, $"still running after {running.TotalSeconds:F1} s (a hang)"), input));
                }

                break;
            }
        }

        if (workerError is not null)
        {
            throw new InvalidOperationException($"The fuzz harness itself failed for {target.Name}.", workerError);
        }

        report.Elapsed = stopwatch.Elapsed;
        return report;
    }

    private static void RunCase(FuzzTarget target, FuzzReport report, long number, MutationKind kind, byte[] input)
    {
        var started = Stopwatch.GetTimestamp();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Verdict verdict;
        string? problem = null;
        try
        {
            target.ReadAndCheck(input, number);
            verdict = Verdict.Read;
        }
        catch (IncorrectReadException e)
        {
            verdict = Verdict.Read;
            problem = "read, but not what the input holds: " + e.Message;
        }
        catch (Exception e) when (target.DocumentedException.IsInstanceOfType(e))
        {
            verdict = Verdict.Refused;
        }
        catch (Exception e)
        {
            verdict = Verdict.Refused;
            problem = $"threw {e.GetType().Name}, not {target.DocumentedException.Name}: {e.Message}\n{e.StackTrace}";
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var elapsed = Stopwatch.GetElapsedTime(started);
        var budget = target.AllocationBudget(input.Length);
        if (problem is null && allocated > budget)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"allocated {allocated} bytes, over its budget of {budget} for an input of {input.Length} bytes");
        }

        lock (report)
        {
            report.Cases++;
            if (verdict == Verdict.Read)
            {
                report.Read++;
            }
            else
            {
                report.Refused++;
            }

            report.ByKind[kind] = report.ByKind.GetValueOrDefault(kind) + 1;
            if (allocated > report.MaxAllocatedBytes)
            {
                report.MaxAllocatedBytes = allocated;
                report.MaxAllocationInputLength = input.Length;
            }

            if (elapsed > report.SlowestCase)
            {
                report.SlowestCase = elapsed;
                report.SlowestCaseNumber = number;
            }

            if (problem is not null)
            {
                report.Failures.Add(new FuzzFailure(number, kind, problem, input));
            }
        }
    }
}
