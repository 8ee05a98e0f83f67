namespace DSpib.Systems.Biasing;

/// <summary>
/// A collective variable s(x) of a system's coordinates with its Jacobian ds/dx, for biasing along it. For a learned
/// variable of descriptors d(x), s(x) = z(d(x)) and ds/dx = dz/dd dd/dx (the chain rule through the descriptors).
/// </summary>
public interface ICollectiveVariable
{
    /// <summary>Number of coordinates x.</summary>
    int InputDimension { get; }

    /// <summary>Number of values s.</summary>
    int Dimension { get; }

    /// <summary>s(x) and ds_k/dx_i. Must be safe to call from several threads at once.</summary>
    /// <param name="position"><see cref="InputDimension"/> coordinates.</param>
    /// <param name="value">Receives <see cref="Dimension"/> values.</param>
    /// <param name="jacobian">Receives <see cref="Dimension"/> x <see cref="InputDimension"/> derivatives, row-major; empty when only the values are wanted.</param>
    void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian);
}
