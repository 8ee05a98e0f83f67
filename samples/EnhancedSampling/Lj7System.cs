using System.Globalization;
using DSpib.Systems.Biasing;
using DSpib.Systems.Datasets;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Samples.EnhancedSampling;

/// <summary>
/// LJ7 in two dimensions under BAOAB Langevin dynamics (step 0.005, friction 1), started from the hexagon. The
/// descriptors are the 7 sorted coordination numbers; the states are the four isomers, by the minimum a frame relaxes
/// to (<see cref="LennardJones7.ClassifyIsomer"/>). No grid can hold 14 coordinates, so the exact answer is a long
/// unbiased run: 16 walkers from the hexagon, 50,000 steps of equilibration each, then a frame every 250 steps (seed
/// 2026 whatever the seeds of the loop, so every run is measured against the same reference).
/// </summary>
internal sealed class Lj7System : EnhancedSystem
{
    private const int ReferenceWalkers = 16;
    private const int ReferenceStride = 250;
    private readonly LennardJones7 _potential = new();
    private double[]? _start;

    /// <param name="temperature">k_B T of every run.</param>
    /// <param name="referenceSteps">Steps per walker of the long reference run after its equilibration.</param>
    /// <param name="cancellationToken">Checked by the reference run.</param>
    public Lj7System(double temperature, int referenceSteps, CancellationToken cancellationToken)
    {
        var framesPerWalker = Math.Max(1, referenceSteps / ReferenceStride);
        var run = new BaoabLangevin(new LangevinOptions
        {
            Temperature = temperature, TimeStep = TimeStep, Walkers = ReferenceWalkers,
            FramesPerWalker = framesPerWalker, StepsPerFrame = ReferenceStride, EquilibrationSteps = 50_000, Seed = 2026,
        }).Run(_potential, [Start], null, cancellationToken);
        var positions = FrameRows.Stack(run.Trajectories);
        var frames = positions.GetLength(0);
        var states = EnhancedRun.Classify(this, run.Trajectories);
        var weights = Enumerable.Repeat(1.0 / frames, frames).ToArray();
        Reference = new ReferenceEnsemble(
            string.Create(CultureInfo.InvariantCulture, $"unbiased BAOAB run, {ReferenceWalkers} walkers x {framesPerWalker * ReferenceStride:N0} steps after 50,000 of equilibration, {frames:N0} frames"),
            positions,
            Descriptors(positions),
            weights,
            states.SelectMany(s => s).ToArray(),
            EnhancedRun.Populations(states, weights, StateNames.Count),
            EnhancedRun.BlockStandardErrors(states, weights, StateNames.Count, 10));
    }

    public override string Description => "LJ7 (2-D), BAOAB Langevin";

    public override IReadOnlyList<string> StateNames { get; } = ["C0", "C1", "C2", "C3"];

    public override IPotential Potential => _potential;

    public override double[] Start => _start ??= _potential.MinimumEnergyHexagon();

    public override double TimeStep => 0.005;

    public override ReferenceEnsemble Reference { get; }

    public override LangevinIntegrator Integrator(LangevinOptions options) => new BaoabLangevin(options);

    public override double[,] Descriptors(double[,] positions) => Lj7Dataset.Describe(positions).Coordination;

    public override ICollectiveVariable InCoordinates(CollectiveVariable learned) => new SortedCoordinationVariable(new LearnedVariable(learned));

    public override int State(ReadOnlySpan<double> position) => (int)_potential.ClassifyIsomer(position);
}
