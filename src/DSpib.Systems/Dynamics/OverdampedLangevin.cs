namespace DSpib.Systems.Dynamics;

/// <summary>
/// Overdamped (Brownian) Langevin dynamics by Euler-Maruyama:
/// x += -grad V(x) dt / gamma + sqrt(2 k_B T dt / gamma) xi.
/// </summary>
/// <param name="options">The settings (mass is not used).</param>
public sealed class OverdampedLangevin(LangevinOptions options) : LangevinIntegrator(options)
{
    private protected override double SimulateWalker(Forces potential, double[] start, GaussianStream noise, double[,] frames, Action frameDone)
    {
        var dimension = potential.Dimension;
        Span<double> x = stackalloc double[dimension];
        Span<double> gradient = stackalloc double[dimension];
        start.CopyTo(x);
        var drift = Options.TimeStep / Options.Friction;
        var kick = Math.Sqrt(2 * Options.Temperature * Options.TimeStep / Options.Friction);

        void Step(Span<double> x, Span<double> gradient)
        {
            potential.EnergyAndGradient(x, gradient);
            for (var d = 0; d < x.Length; d++)
            {
                x[d] += (-gradient[d] * drift) + (kick * noise.Next());
            }
        }

        for (var i = 0; i < Options.EquilibrationSteps; i++)
        {
            Step(x, gradient);
        }

        for (var frame = 0; frame < frames.GetLength(0); frame++)
        {
            for (var i = 0; i < Options.StepsPerFrame; i++)
            {
                Step(x, gradient);
            }

            for (var d = 0; d < dimension; d++)
            {
                frames[frame, d] = x[d];
            }

            frameDone();
        }

        return double.NaN;
    }
}
