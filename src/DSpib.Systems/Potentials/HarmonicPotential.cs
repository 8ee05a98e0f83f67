namespace DSpib.Systems.Potentials;

/// <summary>V(x) = k/2 |x - center|^2: Gaussian Boltzmann distribution with variance kT/k per coordinate, for tests.</summary>
public sealed class HarmonicPotential : IPotential
{
    private readonly double[] _center;

    /// <summary>Creates an isotropic harmonic well.</summary>
    /// <param name="dimension">Number of coordinates (at least 1).</param>
    /// <param name="stiffness">Force constant k (positive).</param>
    /// <param name="center">Minimum position; the origin when <see langword="null"/>.</param>
    public HarmonicPotential(int dimension, double stiffness, IReadOnlyList<double>? center = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (!double.IsFinite(stiffness) || stiffness <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stiffness), stiffness, "The force constant must be positive and finite.");
        }

        if (center is not null && center.Count != dimension)
        {
            throw new ArgumentException($"The center has {center.Count} coordinates; the potential has {dimension}.", nameof(center));
        }

        Dimension = dimension;
        Stiffness = stiffness;
        _center = center?.ToArray() ?? new double[dimension];
    }

    /// <inheritdoc />
    public int Dimension { get; }

    /// <summary>Force constant k.</summary>
    public double Stiffness { get; }

    /// <inheritdoc />
    public double Energy(ReadOnlySpan<double> position)
    {
        var energy = 0.0;
        for (var d = 0; d < Dimension; d++)
        {
            var delta = position[d] - _center[d];
            energy += 0.5 * Stiffness * delta * delta;
        }

        return energy;
    }

    /// <inheritdoc />
    public double EnergyAndGradient(ReadOnlySpan<double> position, Span<double> gradient)
    {
        for (var d = 0; d < Dimension; d++)
        {
            gradient[d] = Stiffness * (position[d] - _center[d]);
        }

        return Energy(position);
    }
}
