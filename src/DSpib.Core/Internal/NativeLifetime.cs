using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Internal;

/// <summary>
/// The rule that keeps every native object alive while libtorch uses it, in a host process that may collect garbage
/// at any moment.
/// </summary>
/// <remarks>
/// <para>
/// TorchSharp's tensors, scalars and generators hold raw native pointers and free them in their finalizers. A managed
/// object that nothing references any more can be finalised in the middle of a native call that was handed its
/// pointer, and libtorch then reads freed memory: a crash, an assertion in <c>Scalar.h</c>, or silently wrong numbers.
/// That happens to temporaries: the intermediate tensors of an expression, and the ones TorchSharp makes inside its own
/// methods.
/// </para>
/// <para>
/// So every public entry point that reaches libtorch opens a <see cref="NativeCall"/>: a dispose scope that holds every
/// tensor made during the call (the library's temporaries and TorchSharp's internal ones alike) until the call returns,
/// and that keeps the object whose modules the call uses alive as long. Tensors that outlive the call (weights,
/// buffers, training state) are detached from the scope where they are made and owned, and disposed, by a library
/// object. Scalars are not tracked by scopes: the library passes only Scalars it holds (see
/// <see cref="TensorArithmetic"/>), and avoids the TorchSharp members that make one internally and drop it.
/// </para>
/// </remarks>
internal static class NativeLifetime
{
    /// <summary>
    /// Opens the scope of one public call that uses <paramref name="owner"/>'s native objects; an owner that may be
    /// disposed while calls run (<see cref="ISharedNativeOwner"/>) counts the call as a use.
    /// </summary>
    /// <exception cref="ObjectDisposedException"><paramref name="owner"/> has been disposed.</exception>
    public static NativeCall Enter(object owner)
    {
        var uses = (owner as ISharedNativeOwner)?.Uses;
        uses?.Begin();
        return new(NewDisposeScope(), owner, uses);
    }

    /// <summary>Opens the scope of one public call that creates its native objects (loading, for example).</summary>
    public static NativeCall Enter() => new(NewDisposeScope(), null, null);

    /// <summary>
    /// Detaches the parameters and buffers of <paramref name="module"/> and its submodules from any dispose scope, so that
    /// they live as long as the module does. Module constructors call it last: a module may be built inside a call's scope.
    /// </summary>
    public static void Own(nn.Module module)
    {
        foreach (var parameter in module.parameters())
        {
            parameter.DetachFromDisposeScope();
        }

        foreach (var buffer in module.buffers())
        {
            buffer.DetachFromDisposeScope();
        }
    }

    /// <summary>Detaches <paramref name="tensor"/> from any dispose scope: the caller owns it and disposes it.</summary>
    public static Tensor Own(Tensor tensor) => tensor.DetachFromDisposeScope();
}

/// <summary>
/// The native lifetime of one public call: every tensor made during it is disposed when it ends, and the owner of the
/// modules it uses is reachable until then. Use it as <c>using var call = NativeLifetime.Enter(this);</c>.
/// </summary>
internal readonly ref struct NativeCall
{
    private readonly DisposeScope _scope;
    private readonly object? _owner;
    private readonly NativeUses? _uses;

    internal NativeCall(DisposeScope scope, object? owner, NativeUses? uses)
    {
        _scope = scope;
        _owner = owner;
        _uses = uses;
    }

    public void Dispose()
    {
        _scope.Dispose();

        // Last: a Dispose of the owner during the call releases its memory here, after the call's own tensors.
        _uses?.End();

        // A caller may drop its last reference to the model while the call runs (`new ...().Encode(x)`); without this,
        // the model's weights could be finalised during the call's last native operation.
        GC.KeepAlive(_owner);
    }
}
