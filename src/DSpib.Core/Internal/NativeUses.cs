namespace DSpib.Internal;

/// <summary>
/// An object whose native memory public calls use, and that may be disposed on another thread while they run.
/// <see cref="NativeLifetime.Enter(object)"/> counts a call as a use of it.
/// </summary>
internal interface ISharedNativeOwner
{
    /// <summary>The count of the calls using the owner's native memory.</summary>
    NativeUses Uses { get; }
}

/// <summary>
/// Counts the public calls using an object's native memory, so that disposing the object while calls run never frees
/// memory a call still reads: the calls already running finish with correct results, later calls get
/// <see cref="ObjectDisposedException"/>, and the memory is released when the last running call returns.
/// </summary>
/// <remarks>
/// Disposing does not wait for the running calls: a call may dispose its own object (from a progress callback, say)
/// without a deadlock, and the release then happens when that call returns.
/// </remarks>
internal sealed class NativeUses(object owner, Action release)
{
    private readonly Lock _gate = new();
    private int _running;
    private bool _closed;
    private bool _released;

    /// <summary>Counts one more running call.</summary>
    /// <exception cref="ObjectDisposedException">The owner has been disposed.</exception>
    public void Begin()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closed, owner);
            _running++;
        }
    }

    /// <summary>Counts one call less; releases the memory if the owner was disposed and this was the last call.</summary>
    public void End()
    {
        lock (_gate)
        {
            _running--;
            if (!ShouldRelease())
            {
                return;
            }
        }

        release();
    }

    /// <summary>Refuses later calls; releases the memory now, or when the last running call returns.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            if (!ShouldRelease())
            {
                return;
            }
        }

        release();
    }

    private bool ShouldRelease()
    {
        if (!_closed || _running > 0 || _released)
        {
            return false;
        }

        _released = true;
        return true;
    }
}
