using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Dynamics;

public class LangevinTests
{
    private static readonly double[][] Origin2D = [[0.0, 0.0]];

    [Fact]
    public void Run_SameSeed_IsBitwiseReproducible_AndWalkersAreIndependentOfScheduling()
    {
        var options = new LangevinOptions { Temperature = 0.6, Walkers = 6, FramesPerWalker = 500, StepsPerFrame = 10, Seed = 3 };
        var potential = new ThreeHolePotential();

        var first = new OverdampedLangevin(options).Run(potential, [[-1.0, 0.0]]);
        var second = new OverdampedLangevin(options).Run(potential, [[-1.0, 0.0]]);
        var fewer = new OverdampedLangevin(options with { Walkers = 2 }).Run(potential, [[-1.0, 0.0]]);

        for (var w = 0; w < 6; w++)
        {
            first.Trajectories[w].Should().BeEquivalentTo(second.Trajectories[w], o => o.WithStrictOrdering());
        }

        // Walker 1 draws from the stream of (seed, 1) whatever else runs beside it.
        fewer.Trajectories[1].Should().BeEquivalentTo(first.Trajectories[1], o => o.WithStrictOrdering());
        first.Trajectories[0].Should().NotBeEquivalentTo(first.Trajectories[1]);
    }

    [Fact]
    public void Run_OtherSeed_GivesOtherTrajectories()
    {
        var options = new LangevinOptions { Walkers = 1, FramesPerWalker = 100, Seed = 1 };
        var potential = new HarmonicPotential(2, 1.0);

        var a = new OverdampedLangevin(options).Run(potential, Origin2D).Trajectories[0];
        var b = new OverdampedLangevin(options with { Seed = 2 }).Run(potential, Origin2D).Trajectories[0];

        a[99, 0].Should().NotBe(b[99, 0]);
    }

    [Fact]
    public void Baoab_OnAHarmonicWell_SamplesTheBoltzmannDistribution()
    {
        // k = 4, kT = 0.5: position variance kT/k = 0.125, kinetic temperature 0.5. 40 walkers x 5,000 frames every
        // 20 steps of dt = 0.05 (frames ~1 time unit apart, about one velocity correlation time) give ~2x10^5 nearly
        // independent samples: the relative standard error of each variance is ~0.3 %, so 2 % and 5 % are > 5 sigma.
        const double Stiffness = 4.0;
        const double KT = 0.5;
        var options = new LangevinOptions { Temperature = KT, TimeStep = 0.05, Friction = 1, Walkers = 40, FramesPerWalker = 5_000, StepsPerFrame = 20, EquilibrationSteps = 200, Seed = 11 };

        var result = new BaoabLangevin(options).Run(new HarmonicPotential(2, Stiffness), Origin2D);

        result.MeanKineticTemperature.Should().BeApproximately(KT, 0.02 * KT);
        PositionVariance(result).Should().BeApproximately(KT / Stiffness, 0.05 * KT / Stiffness);
    }

    [Fact]
    public void Overdamped_OnAHarmonicWell_SamplesTheBoltzmannDistribution()
    {
        // Euler-Maruyama's stationary variance is kT/k / (1 - k dt / 2): 0.5 % above kT/k at k dt = 0.01.
        const double Stiffness = 2.0;
        const double KT = 1.0;
        var options = new LangevinOptions { Temperature = KT, TimeStep = 0.005, Walkers = 40, FramesPerWalker = 5_000, StepsPerFrame = 100, EquilibrationSteps = 1_000, Seed = 5 };

        var result = new OverdampedLangevin(options).Run(new HarmonicPotential(2, Stiffness), Origin2D);

        PositionVariance(result).Should().BeApproximately(KT / Stiffness, 0.05 * KT / Stiffness);
        result.MeanKineticTemperature.Should().Be(double.NaN);
    }

    [Fact]
    public void Overdamped_OnTheThreeHolePotential_VisitsAllWellsManyTimes()
    {
        var options = new LangevinOptions { Temperature = 0.6, TimeStep = 1e-3, Walkers = 3, FramesPerWalker = 10_000, StepsPerFrame = 10, Seed = 2 };

        var result = new OverdampedLangevin(options).Run(new ThreeHolePotential(), [[-1.0, 0.0]]);

        var visited = new HashSet<ThreeHoleWell>();
        var transitions = 0;
        foreach (var trajectory in result.Trajectories)
        {
            ThreeHoleWell? current = null;
            for (var n = 0; n < trajectory.GetLength(0); n++)
            {
                // A transition counts when the walker reaches the core of another well (hysteresis against recrossings).
                var core = CoreWell(trajectory[n, 0], trajectory[n, 1]);
                if (core is null)
                {
                    continue;
                }

                visited.Add(core.Value);
                if (current is not null && current != core)
                {
                    transitions++;
                }

                current = core;
            }
        }

        visited.Should().BeEquivalentTo([ThreeHoleWell.Left, ThreeHoleWell.Right, ThreeHoleWell.Upper]);
        (transitions / 3.0).Should().BeGreaterThan(5, "about 12 transitions per 10,000 frames per walker are expected at k_B T = 0.6");
    }

    [Theory]
    [InlineData(nameof(LangevinOptions.Temperature))]
    [InlineData(nameof(LangevinOptions.TimeStep))]
    [InlineData(nameof(LangevinOptions.Walkers))]
    [InlineData(nameof(LangevinOptions.FramesPerWalker))]
    [InlineData(nameof(LangevinOptions.StepsPerFrame))]
    public void Options_OutOfRange_ThrowNamingTheSetting(string setting)
    {
        var options = setting switch
        {
            nameof(LangevinOptions.Temperature) => new LangevinOptions { Temperature = -1 },
            nameof(LangevinOptions.TimeStep) => new LangevinOptions { TimeStep = 0 },
            nameof(LangevinOptions.Walkers) => new LangevinOptions { Walkers = 0 },
            nameof(LangevinOptions.FramesPerWalker) => new LangevinOptions { FramesPerWalker = 0 },
            _ => new LangevinOptions { StepsPerFrame = 0 },
        };

        var act = () => new OverdampedLangevin(options);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(setting);
    }

    [Fact]
    public void Run_WithStartsOfTheWrongDimension_ThrowsNamingStarts()
    {
        var act = () => new OverdampedLangevin(new LangevinOptions()).Run(new ThreeHolePotential(), [[0.0]]);

        act.Should().Throw<ArgumentException>().WithParameterName("starts");
    }

    [Fact]
    public void Run_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        var act = () => new OverdampedLangevin(new LangevinOptions { Walkers = 2 }).Run(new ThreeHolePotential(), [[0.0, 0.0]], null, cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
    }

    private static ThreeHoleWell? CoreWell(double x, double y) =>
        y > 1.2 && Math.Abs(x) < 0.5 ? ThreeHoleWell.Upper
        : y < 0.5 && x < -0.7 ? ThreeHoleWell.Left
        : y < 0.5 && x > 0.7 ? ThreeHoleWell.Right
        : null;

    private static double PositionVariance(SimulationResult result)
    {
        double sum = 0, sumSquares = 0;
        long count = 0;
        foreach (var trajectory in result.Trajectories)
        {
            foreach (var value in trajectory)
            {
                sum += value;
                sumSquares += value * value;
                count++;
            }
        }

        var mean = sum / count;
        return (sumSquares / count) - (mean * mean);
    }
}
