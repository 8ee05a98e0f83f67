using System.Diagnostics.CodeAnalysis;

namespace DSpib.Devices;

/// <summary>Floating-point precision of the tensors a model is built and trained in.</summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Float32 and Float64 are the names users know from tensor libraries.")]
public enum TensorPrecision
{
    /// <summary>32-bit floats: the default, about twice as fast as <see cref="Float64"/> on CPU.</summary>
    Float32,

    /// <summary>64-bit floats: for numerical cross-checks and very small free-energy differences.</summary>
    Float64,
}
