using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DSpib.Internal;

/// <summary>Views of rectangular arrays as flat row-major spans, without copying.</summary>
internal static class ArrayViews
{
    public static Span<T> AsSpan<T>(T[,] array) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<byte, T>(ref MemoryMarshal.GetArrayDataReference(array)), array.Length);

    public static ReadOnlySpan<T> AsReadOnlySpan<T>(T[,] array) => AsSpan(array);
}
