using System.Globalization;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Benchmarks;

/// <summary>Three-hole Langevin throughput in steps per second, one walker and ten walkers in parallel.</summary>
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
    }
}
