namespace DSpib.Core.Tests.Support;

/// <summary>
/// A background thread that forces full garbage collections and runs finalizers back to back for as long as it lives,
/// the way a busy host process collects at any moment of the library's native calls.
/// </summary>
internal sealed class CollectionPressure : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;
    private long _collections;

    private CollectionPressure()
    {
        _thread = new Thread(Collect) { IsBackground = true, Name = "Collection pressure" };
        _thread.Start();
    }

    /// <summary>Number of collections forced so far.</summary>
    public long Collections => Interlocked.Read(ref _collections);

    public static CollectionPressure Start() => new();

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
    }

    /// <summary>
    /// Mostly young-generation collections, which find the temporaries of the call in progress and are cheap enough to
    /// come thousands of times a second; every tenth is a full one, for objects that have lived longer.
    /// </summary>
    private void Collect()
    {
        while (!_stop)
        {
            GC.Collect(_collections % 10 == 9 ? GC.MaxGeneration : 0);
            GC.WaitForPendingFinalizers();
            Interlocked.Increment(ref _collections);
        }
    }
}
