using DSpib.Data;
using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Core.Tests.Support;

/// <summary>Small seeded three-hole data sets for training tests, cached per size so tests share the simulation.</summary>
internal static class ThreeHoleData
{
    private static readonly Dictionary<(int Walkers, int Frames, int Seed, int Stride), TrajectorySet> Cache = [];
    private static readonly Lock CacheLock = new();

    public const double Temperature = 0.6;

    /// <summary>
    /// Overdamped Langevin at k_B T = 0.6 (dt 1e-3, <paramref name="stride"/> steps per frame), walkers started from
    /// Boltzmann-distributed points.
    /// </summary>
    public static TrajectorySet Simulate(int walkers, int frames, int seed = 1, int stride = 10)
    {
        lock (CacheLock)
        {
            if (Cache.TryGetValue((walkers, frames, seed, stride), out var cached))
            {
                return cached;
            }

            var potential = new ThreeHolePotential();
            var options = new LangevinOptions
            {
                Temperature = Temperature,
                TimeStep = 1e-3,
                Walkers = walkers,
                FramesPerWalker = frames,
                StepsPerFrame = stride,
                EquilibrationSteps = 1_000,
                Seed = seed,
            };
            var starts = BoltzmannGrid.Create(potential, Temperature).Sample(walkers, seed);
            var result = new OverdampedLangevin(options).Run(potential, starts, null, CancellationToken.None);
            var builder = TrajectorySet.Create();
            foreach (var trajectory in result.Trajectories)
            {
                builder.Add(trajectory, Temperature);
            }

            return Cache[(walkers, frames, seed, stride)] = builder.Build();
        }
    }
}
