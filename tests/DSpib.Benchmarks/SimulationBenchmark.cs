using System.Globalization;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Benchmarks;

/// <summary>
/// Langevin throughput: three-hole steps per second (one walker and ten in parallel), and the seconds LJ7 takes for
/// one temperature at full size (50 walkers, 50,000 equilibration steps, 2,000 frames every 100 steps, BAOAB).
/// </summary>
internal static class SimulationBenchmark
{
    public static IEnumerable<Measurement> Run()
    {
        var potential = new ThreeHolePotential();
        foreach (var walkers in new[] { 1, 10 })
        {
            var options = new LangevinOptions { Temperature = 0.6, TimeStep = 1e-3, Walkers = walkers, FramesPerWalker = 100_000, StepsPerFrame = 10, Seed = 1 };
            var steps = (double)walkers * options.FramesPerWalker * options.StepsPerFrame;
            var integrator = new OverdampedLangevin(options);
            var timing = Measurement.Time($"three-hole overdamped, {walkers} walker(s)", 1, 5, () => integrator.Run(potential, [[-1.0, 0.0]]), new Dictionary<string, string>
            {
                ["walkers"] = walkers.ToString(CultureInfo.InvariantCulture),
                ["stepsPerRun"] = steps.ToString("F0", CultureInfo.InvariantCulture),
            });
            yield return timing with { Unit = "Msteps/s", Samples = timing.Samples.Select(s => steps / s / 1e6).ToArray() };
        }

        var lj7 = new LennardJones7();
        var hexagon = lj7.MinimumEnergyHexagon();
        var lj7Options = new LangevinOptions { Temperature = 0.4, TimeStep = 0.005, Friction = 1, Walkers = 50, FramesPerWalker = 2_000, StepsPerFrame = 100, EquilibrationSteps = 50_000, Seed = 1 };
        var baoab = new BaoabLangevin(lj7Options);
        yield return Measurement.Time("lj7 one temperature (50 walkers, 250k steps each)", 0, 3, () => baoab.Run(lj7, [hexagon]), new Dictionary<string, string>
        {
            ["walkers"] = "50",
            ["stepsPerWalker"] = "250000",
            ["reference"] = "about 8 s for a NumPy implementation vectorised over walkers on this machine kind",
        });
    }
}
