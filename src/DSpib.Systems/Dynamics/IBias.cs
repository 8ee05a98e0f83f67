namespace DSpib.Systems.Dynamics;

/// <summary>
/// An external bias energy U_bias(x, t) added to the potential by <see cref="LangevinIntegrator.Run(Potentials.IPotential, IBias, IReadOnlyList{double[]}, IProgress{double}?, CancellationToken)"/>,
/// for example metadynamics along a collective variable. It may change as the simulation runs (an adaptive bias
/// deposits as it is called); the integrators call it from one thread per walker at a time, concurrently for
/// different walkers, so a bias shared by walkers must synchronise its own state.
/// </summary>
public interface IBias
{
    /// <summary>
    /// Called once per force evaluation of <paramref name="walker"/>: adds dU_bias/dx to <paramref name="gradient"/>
    /// (which already holds the potential's gradient) and returns U_bias at <paramref name="position"/>.
    /// </summary>
    /// <param name="walker">The walker's index.</param>
    /// <param name="position">The coordinates.</param>
    /// <param name="gradient">The gradient to add to (as many values as coordinates).</param>
    double AddEnergyAndGradient(int walker, ReadOnlySpan<double> position, Span<double> gradient);

    /// <summary>
    /// The logarithm of the unbiasing weight of a frame of <paramref name="walker"/> recorded now at
    /// <paramref name="position"/>: U_bias / k_B T for a static bias, (V(s, t) - c(t)) / k_B T for metadynamics.
    /// Recorded in <see cref="SimulationResult.LogWeights"/>.
    /// </summary>
    /// <param name="walker">The walker's index.</param>
    /// <param name="position">The coordinates of the recorded frame.</param>
    double LogWeight(int walker, ReadOnlySpan<double> position);
}
