using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Datasets;

/// <summary>
/// A simulated LJ7 data set at one temperature, as the D-SPIB benchmark uses it: independent BAOAB walkers
/// (friction 1, step 0.005) started from the energy-minimised hexagon, equilibrated, then recorded, with each frame's
/// coordination numbers and their second and third central moments.
/// </summary>
public sealed class Lj7Dataset
{
    private Lj7Dataset(double temperature, SimulationResult simulation, double[][,] coordination, double[][,] moments)
    {
        Temperature = temperature;
        Simulation = simulation;
        Coordination = coordination;
        Moments = moments;
    }

    /// <summary>k_B T of the simulation.</summary>
    public double Temperature { get; }

    /// <summary>The positions (14 coordinates a frame) of every walker, the kinetic temperature and the timing.</summary>
    public SimulationResult Simulation { get; }

    /// <summary>
    /// The 7 coordination numbers of every frame, one matrix per walker, sorted in descending order so that the
    /// descriptors do not depend on which particle is which (the particles exchange places as the cluster rearranges).
    /// </summary>
    public IReadOnlyList<double[,]> Coordination { get; }

    /// <summary>(mu2, mu3) of every frame, one matrix per walker: the order parameters of the initial labels.</summary>
    public IReadOnlyList<double[,]> Moments { get; }

    /// <summary>Number of frames over all walkers.</summary>
    public int TotalFrames => Coordination.Sum(c => c.GetLength(0));

    /// <summary>
    /// Simulates LJ7 at <paramref name="temperature"/> (reference size: 50 walkers, 50,000 equilibration steps, then 2,000
    /// frames every 100 steps: 100,000 frames).
    /// </summary>
    /// <param name="temperature">k_B T in units of epsilon (positive).</param>
    /// <param name="walkers">Independent walkers.</param>
    /// <param name="framesPerWalker">Frames recorded per walker.</param>
    /// <param name="stepsPerFrame">BAOAB steps between frames.</param>
    /// <param name="equilibrationSteps">Steps discarded before the first frame.</param>
    /// <param name="seed">Seed of the walkers' noise.</param>
    /// <param name="progress">Receives the fraction of frames done (optional).</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    public static Lj7Dataset Simulate(double temperature, int walkers = 50, int framesPerWalker = 2_000, int stepsPerFrame = 100, int equilibrationSteps = 50_000, int seed = 42, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var potential = new LennardJones7();
        var options = new LangevinOptions
        {
            Temperature = temperature,
            TimeStep = 0.005,
            Friction = 1,
            Walkers = walkers,
            FramesPerWalker = framesPerWalker,
            StepsPerFrame = stepsPerFrame,
            EquilibrationSteps = equilibrationSteps,
            Seed = seed,
        };
        var simulation = new BaoabLangevin(options).Run(potential, [potential.MinimumEnergyHexagon()], progress, cancellationToken);
        var coordination = new double[walkers][,];
        var moments = new double[walkers][,];
        Parallel.For(0, walkers, walker => (coordination[walker], moments[walker]) = Describe(simulation.Trajectories[walker]));
        return new Lj7Dataset(temperature, simulation, coordination, moments);
    }

    /// <summary>Sorted coordination numbers [frames, 7] and their moments [frames, 2] of positions [frames, 14].</summary>
    /// <param name="positions">Frames of 14 coordinates.</param>
    public static (double[,] Coordination, double[,] Moments) Describe(double[,] positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        if (positions.GetLength(1) != 2 * LennardJones7.Particles)
        {
            throw new ArgumentException($"LJ7 frames have {2 * LennardJones7.Particles} coordinates; got {positions.GetLength(1)}.", nameof(positions));
        }

        var frames = positions.GetLength(0);
        var coordination = new double[frames, LennardJones7.Particles];
        var moments = new double[frames, 2];
        Span<double> position = stackalloc double[2 * LennardJones7.Particles];
        Span<double> values = stackalloc double[LennardJones7.Particles];
        for (var n = 0; n < frames; n++)
        {
            for (var d = 0; d < position.Length; d++)
            {
                position[d] = positions[n, d];
            }

            LennardJones7.CoordinationNumbers(position, values);
            (moments[n, 0], moments[n, 1]) = LennardJones7.CoordinationMoments(values);
            values.Sort();
            for (var i = 0; i < values.Length; i++)
            {
                coordination[n, i] = values[values.Length - 1 - i];
            }
        }

        return (coordination, moments);
    }
}
