namespace DSpib.Systems.Dynamics;

/// <summary>
/// Underdamped Langevin dynamics by the BAOAB splitting of Leimkuhler and Matthews (2013): half kick, half drift, an
/// exact Ornstein-Uhlenbeck velocity step v = c v + sqrt((1 - c^2) k_B T / m) xi with c = exp(-gamma dt), half drift,
/// half kick. Its configurational sampling error is second order in the time step.
/// </summary>
/// <param name="options">The settings.</param>
public sealed class BaoabLangevin(LangevinOptions options) : LangevinIntegrator(options)
{
    private protected override double SimulateWalker(Forces potential, double[] start, GaussianStream noise, double[,] frames, Action frameDone)
    {
        var dimension = potential.Dimension;
        var mass = Options.Mass;
        var dt = Options.TimeStep;
        var c = Math.Exp(-Options.Friction * dt);
        var thermal = Math.Sqrt((1 - (c * c)) * Options.Temperature / mass);
        var velocityScale = Math.Sqrt(Options.Temperature / mass);
        Span<double> x = stackalloc double[dimension];
        Span<double> v = stackalloc double[dimension];
        Span<double> force = stackalloc double[dimension];
        start.CopyTo(x);
        for (var d = 0; d < dimension; d++)
        {
            v[d] = velocityScale * noise.Next();
        }

        potential.EnergyAndGradient(x, force);

        void Step(Span<double> x, Span<double> v, Span<double> gradient)
        {
            for (var d = 0; d < x.Length; d++)
            {
                v[d] -= 0.5 * dt * gradient[d] / mass;
                x[d] += 0.5 * dt * v[d];
                v[d] = (c * v[d]) + (thermal * noise.Next());
                x[d] += 0.5 * dt * v[d];
            }

            potential.EnergyAndGradient(x, gradient);
            for (var d = 0; d < x.Length; d++)
            {
                v[d] -= 0.5 * dt * gradient[d] / mass;
            }
        }

        for (var i = 0; i < Options.EquilibrationSteps; i++)
        {
            Step(x, v, force);
        }

        var kineticSum = 0.0;
        for (var frame = 0; frame < frames.GetLength(0); frame++)
        {
            for (var i = 0; i < Options.StepsPerFrame; i++)
            {
                Step(x, v, force);
            }

            for (var d = 0; d < dimension; d++)
            {
                frames[frame, d] = x[d];
                kineticSum += mass * v[d] * v[d];
            }

            frameDone();
        }

        return kineticSum / ((double)frames.GetLength(0) * dimension);
    }
}
