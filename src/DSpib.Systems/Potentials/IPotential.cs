namespace DSpib.Systems.Potentials;

/// <summary>A potential energy surface V(x) on R^Dimension, with its gradient.</summary>
public interface IPotential
{
    /// <summary>Number of coordinates.</summary>
    int Dimension { get; }

    /// <summary>V at <paramref name="position"/>.</summary>
    /// <param name="position"><see cref="Dimension"/> coordinates.</param>
    double Energy(ReadOnlySpan<double> position);

    /// <summary>V and its gradient at <paramref name="position"/>.</summary>
    /// <param name="position"><see cref="Dimension"/> coordinates.</param>
    /// <param name="gradient">Receives dV/dx (<see cref="Dimension"/> values).</param>
    /// <returns>V at <paramref name="position"/>.</returns>
    double EnergyAndGradient(ReadOnlySpan<double> position, Span<double> gradient);
}
