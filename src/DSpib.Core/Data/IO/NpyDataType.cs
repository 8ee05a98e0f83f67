using System.Diagnostics.CodeAnalysis;

namespace DSpib.Data.IO;

/// <summary>Element types of NumPy arrays that can be read.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "NumPy's own dtype names.")]
public enum NpyDataType
{
    /// <summary>32-bit IEEE float (<c>f4</c>).</summary>
    Float32,

    /// <summary>64-bit IEEE float (<c>f8</c>).</summary>
    Float64,

    /// <summary>32-bit signed integer (<c>i4</c>).</summary>
    Int32,

    /// <summary>64-bit signed integer (<c>i8</c>).</summary>
    Int64,
}
