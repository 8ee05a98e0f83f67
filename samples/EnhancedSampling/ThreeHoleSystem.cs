using DSpib.Systems.Analysis;
using DSpib.Systems.Biasing;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Samples.EnhancedSampling;

/// <summary>
/// The three-hole potential under overdamped Langevin dynamics, started in the left well. The descriptors are the
/// coordinates; the states are the wells by <see cref="ThreeHolePotential.ClassifyWell"/>; the exact answer is the
/// Boltzmann grid over [-2.5, 2.5] x [-1.5, 2.5] (250 x 250 points).
/// </summary>
internal sealed class ThreeHoleSystem : EnhancedSystem
{
    private readonly ThreeHolePotential _potential = new();

    /// <summary>The grid points below V_min + 4: all wells and the barriers between them.</summary>
    private readonly int[] _lowRegion;

    public ThreeHoleSystem(double temperature)
    {
        var grid = BoltzmannGrid.Create(_potential, temperature, nx: 250, ny: 250);
        var points = grid.Points();
        var states = Enumerable.Range(0, grid.Count).Select(i => (int)ThreeHolePotential.ClassifyWell(points[i, 0], points[i, 1])).ToArray();
        Reference = new ReferenceEnsemble("Boltzmann grid, 250 x 250 points", points, points, grid.Weights(), states, grid.Populations(states, 3), new double[3]);
        var energies = Enumerable.Range(0, grid.Count).Select(i => ThreeHolePotential.Energy(points[i, 0], points[i, 1])).ToArray();
        var minimum = energies.Min();
        _lowRegion = Enumerable.Range(0, grid.Count).Where(i => energies[i] < minimum + 4).ToArray();
    }

    public override string Description => "three-hole potential, overdamped Langevin";

    public override IReadOnlyList<string> StateNames { get; } = ["left", "right", "upper"];

    public override IPotential Potential => _potential;

    public override double[] Start => _potential.LocalMinima()[0];

    public override ReferenceEnsemble Reference { get; }

    public override double TimeStep => 1e-3;

    public override LangevinIntegrator Integrator(LangevinOptions options) => new OverdampedLangevin(options);

    public override double[,] Descriptors(double[,] positions) => positions;

    public override ICollectiveVariable InCoordinates(CollectiveVariable learned) => new LearnedVariable(learned);

    public override int State(ReadOnlySpan<double> position) => (int)ThreeHolePotential.ClassifyWell(position[0], position[1]);

    public override bool CoresAreStates => false;

    /// <summary>Within 0.4 of a well's minimum.</summary>
    public override int Core(ReadOnlySpan<double> position)
    {
        var minima = _potential.LocalMinima();
        for (var w = 0; w < minima.Count; w++)
        {
            var dx = position[0] - minima[w][0];
            var dy = position[1] - minima[w][1];
            if ((dx * dx) + (dy * dy) < 0.16)
            {
                return w;
            }
        }

        return -1;
    }

    /// <summary>The range of the variable over the region below V_min + 4 (all wells and the barriers between them), widened by a quarter on each side.</summary>
    public override (double Min, double Max) Range(CollectiveVariable cv) => Widened(cv.Evaluate(Reference.Positions), _lowRegion);
}

/// <summary>A learned variable as an <see cref="ICollectiveVariable"/> of its own inputs.</summary>
internal sealed class LearnedVariable(CollectiveVariable cv) : ICollectiveVariable
{
    public int InputDimension => cv.InputDimension;

    public int Dimension => cv.Dimension;

    public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian) => cv.Evaluate(position, value, jacobian);
}
