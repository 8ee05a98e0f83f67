using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace DSpib.Core.Tests.Support;

/// <summary>
/// Counts the TorchSharp and DSpib objects that the garbage collector finalises, from the runtime's own
/// <c>FinalizeObject</c> events.
/// </summary>
/// <remarks>
/// A TorchSharp <c>Scalar</c>, <c>Tensor</c> or <c>Generator</c> that reaches its finalizer was never disposed: nothing
/// held it to the end of its use, so a collection at the wrong moment could have freed its native memory while libtorch
/// was still reading it. Counting finalisations turns that timing-dependent hazard into a deterministic verdict: a code
/// path that finalises no such object cannot be hit by it, however the collections fall.
/// </remarks>
internal sealed class NativeFinalizations : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const long GcKeyword = 0x1;

    private static readonly Lazy<NativeFinalizations> Shared = new(() => new NativeFinalizations());

    private readonly Lock _lock = new();
    private EventSource? _runtime;
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ulong _sentinelType = MethodTableOf(typeof(FlushSentinel));
    private long _sentinelsSeen;

    private NativeFinalizations()
    {
    }

    /// <summary>One listener for the whole test process: the runtime's event session is costly to set up.</summary>
    public static NativeFinalizations Instance => Shared.Value;

    /// <summary>
    /// Starts counting: turns the runtime's verbose GC events on (they cost every collection some work, so they are on
    /// only while counting) and delivers and forgets every finalisation that happened before.
    /// </summary>
    public void Start()
    {
        var runtime = _runtime ?? throw new InvalidOperationException("The runtime's event source is not available.");
        EnableEvents(runtime, EventLevel.Verbose, (EventKeywords)GcKeyword);
        Flush();
        lock (_lock)
        {
            _counts.Clear();
        }
    }

    /// <summary>The library objects finalised since <see cref="Start"/>, by type, after delivering every pending event; stops counting.</summary>
    public IReadOnlyDictionary<string, int> Stop()
    {
        Flush();
        DisableEvents(_runtime!);
        lock (_lock)
        {
            return new Dictionary<string, int>(_counts, StringComparer.Ordinal);
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            _runtime = eventSource;
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName != "FinalizeObject" || eventData.Payload is not [IntPtr methodTable, ..])
        {
            return;
        }

        if ((ulong)(long)methodTable == _sentinelType)
        {
            Interlocked.Increment(ref _sentinelsSeen);
            return;
        }

        var type = Type.GetTypeFromHandle(RuntimeTypeHandle.FromIntPtr(methodTable));
        var assembly = type?.Assembly.GetName().Name ?? string.Empty;
        if ((assembly == "TorchSharp" && !IsAlwaysFinalized(type!)) || assembly.StartsWith("DSpib.", StringComparison.Ordinal))
        {
            lock (_lock)
            {
                var name = type!.FullName ?? type.Name;
                _counts[name] = _counts.GetValueOrDefault(name) + 1;
            }
        }
    }

    /// <summary>
    /// TorchSharp types that reach the finalizer however they are used, and whose finalizers free nothing, so that their
    /// finalisation says nothing about a use after free: <c>PinnedArray</c> (the buffer native calls fill with shapes
    /// and handles) frees its pin in <c>Dispose</c> without suppressing its finalizer; <c>BoxedModule</c>'s finalizer
    /// does nothing, and the constructor of every custom module makes one with a null handle and replaces it; the
    /// module handles (<c>HType</c>, safe handles) override <c>Dispose(bool)</c> to release only when disposing and never
    /// suppress their finalizers.
    /// </summary>
    private static bool IsAlwaysFinalized(Type type) =>
        (type.IsGenericType && type.GetGenericTypeDefinition().Name == "PinnedArray`1")
        || type.Name == "BoxedModule"
        || (type.Name == "HType" && type.IsSubclassOf(typeof(System.Runtime.InteropServices.SafeHandle)));

    /// <summary>
    /// Waits until every object that was unreachable before the call has been finalised and its event delivered.
    /// Events reach the listener asynchronously, in the order the finalizer thread wrote them; a sentinel finalised in
    /// a second round comes after every finalisation of the first, so its arrival means they have all been delivered.
    /// </summary>
    private void Flush()
    {
        for (var round = 0; round < 2; round++)
        {
            var seen = Interlocked.Read(ref _sentinelsSeen);
            DropSentinel();
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Interlocked.Read(ref _sentinelsSeen) == seen)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The runtime's FinalizeObject events did not arrive within 60 s.");
                }

                Thread.Sleep(20);
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void DropSentinel() => _ = new FlushSentinel();

    private static ulong MethodTableOf(Type type) => (ulong)(long)type.TypeHandle.Value;

    /// <summary>An object whose only purpose is to be finalised, so that its event marks a point in the event stream.</summary>
    private sealed class FlushSentinel
    {
        private static int _finalized;

        ~FlushSentinel() => Interlocked.Increment(ref _finalized);
    }
}
