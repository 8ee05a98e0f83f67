using DSpib.Systems.Biasing;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Samples.EnhancedSampling;

/// <summary>
/// The exact answer the bias loop is measured against: configurations with their equilibrium weights at the run's
/// temperature (a Boltzmann grid, or frames of a long unbiased run), their descriptors and states, and the state
/// populations they give.
/// </summary>
/// <param name="Description">Where the configurations come from.</param>
/// <param name="Positions">Configurations [n, coordinates].</param>
/// <param name="Descriptors">Their descriptors [n, descriptors], the learned variable's inputs.</param>
/// <param name="Weights">Equilibrium weights, summing to 1.</param>
/// <param name="States">The state of every configuration.</param>
/// <param name="Populations">The weight of every state.</param>
/// <param name="StandardErrors">The populations' standard errors where they are estimates (a long run), zeros where exact.</param>
internal sealed record ReferenceEnsemble(string Description, double[,] Positions, double[,] Descriptors, double[] Weights, int[] States, double[] Populations, double[] StandardErrors);

/// <summary>
/// A system the bias loop runs on: its potential and dynamics, the descriptors the variable is learned from (and the
/// chain rule from them back to the coordinates), a definition of its states that depends on no learned variable, and
/// the exact answer.
/// </summary>
internal abstract class EnhancedSystem
{
    /// <summary>What the system is, for the log.</summary>
    public abstract string Description { get; }

    /// <summary>Names of the states, in the order of <see cref="State"/>; the first two are the ones whose overlap along the variable is reported.</summary>
    public abstract IReadOnlyList<string> StateNames { get; }

    public abstract IPotential Potential { get; }

    /// <summary>Where every walker starts.</summary>
    public abstract double[] Start { get; }

    /// <summary>Integration step of every run (friction 1).</summary>
    public abstract double TimeStep { get; }

    /// <summary>The reference configurations and populations at the run's temperature.</summary>
    public abstract ReferenceEnsemble Reference { get; }

    /// <summary>The integrator of the system's dynamics with the given options.</summary>
    public abstract LangevinIntegrator Integrator(LangevinOptions options);

    /// <summary>The descriptors [frames, descriptors] of positions [frames, coordinates].</summary>
    public abstract double[,] Descriptors(double[,] positions);

    /// <summary>A variable learned from the descriptors, as a variable of the coordinates with its Jacobian.</summary>
    public abstract ICollectiveVariable InCoordinates(CollectiveVariable learned);

    /// <summary>The state of a configuration: every configuration has one.</summary>
    public abstract int State(ReadOnlySpan<double> position);

    /// <summary>The state whose core the configuration is in, or -1 between cores; transitions are counted between cores.</summary>
    public virtual int Core(ReadOnlySpan<double> position) => State(position);

    /// <summary>Whether <see cref="Core"/> is <see cref="State"/> (every configuration in a core), so that the states can stand for the cores.</summary>
    public virtual bool CoresAreStates => true;

    /// <summary>The range of the variable the bias grid and the profiles cover: the reference configurations', widened by a quarter on each side.</summary>
    public virtual (double Min, double Max) Range(CollectiveVariable cv) => Widened(cv.Evaluate(Reference.Descriptors), Enumerable.Range(0, Reference.Weights.Length));

    /// <summary>The range of the variable's values at the given rows, widened by a quarter on each side.</summary>
    protected static (double Min, double Max) Widened(double[,] values, IEnumerable<int> rows)
    {
        var inside = rows.Select(i => values[i, 0]).ToArray();
        var (low, high) = (inside.Min(), inside.Max());
        var margin = 0.25 * (high - low);
        return (low - margin, high + margin);
    }
}
