using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Potentials;

/// <summary>The isomer of an LJ7 configuration, by the minimum it relaxes to.</summary>
public class Lj7IsomerTests
{
    [Fact]
    public void TheHexagon_RelaxesToItself_AndIsC0()
    {
        var potential = new LennardJones7();
        var hexagon = potential.MinimumEnergyHexagon();

        potential.ClassifyIsomer(hexagon).Should().Be(Lj7Isomer.C0);
        var relaxed = (double[])hexagon.Clone();
        potential.Quench(relaxed).Should().BeApproximately(LennardJones7.IsomerEnergies[0], 1e-4);
        relaxed.Should().Equal(hexagon, (a, b) => Math.Abs(a - b) < 1e-4, "a minimum stays where it is");
    }

    [Fact]
    public void ThermalFrames_RelaxToTheFourKnownMinima_AndAllFourOccurAtKbT02()
    {
        // At k_B T = 0.2 the cluster leaves the hexagon hundreds of times in a million steps (measured: about 300
        // isomer changes per walker), so 2 walkers x 300,000 steps visit every isomer. A quench with a tighter stop
        // and no step limit is the independent check of which minimum each frame belongs to.
        var potential = new LennardJones7();
        var run = new BaoabLangevin(new LangevinOptions { Temperature = 0.2, TimeStep = 0.005, Walkers = 2, FramesPerWalker = 300, StepsPerFrame = 1_000, Seed = 9 })
            .Run(potential, [potential.MinimumEnergyHexagon()]);
        var counts = new int[4];
        foreach (var trajectory in run.Trajectories)
        {
            for (var f = 0; f < trajectory.GetLength(0); f++)
            {
                var position = Enumerable.Range(0, 14).Select(d => trajectory[f, d]).ToArray();
                var isomer = potential.ClassifyIsomer(position);
                counts[(int)isomer]++;

                var energy = TightQuench(potential, position);
                energy.Should().BeApproximately(LennardJones7.IsomerEnergies[(int)isomer], 1e-3, "each frame relaxes to one of the four minima, the one it was assigned to");
            }
        }

        counts.Should().OnlyContain(c => c > 0, "all four isomers are visited at k_B T = 0.2");
        counts[0].Should().BeGreaterThan(counts.Skip(1).Max(), "the hexagon is the most populated isomer");
    }

    [Fact]
    public void BadPositions_AreRefused_NamingTheArgument()
    {
        var potential = new LennardJones7();

        var wrongLength = () => potential.ClassifyIsomer(new double[12]);
        var noIterations = () => potential.Quench(new double[14], maxIterations: 0);

        wrongLength.Should().Throw<ArgumentException>().WithParameterName("position");
        noIterations.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxIterations");
    }

    private static double TightQuench(LennardJones7 potential, double[] position)
    {
        var gradient = new double[14];
        var energy = 0.0;
        for (var iteration = 0; iteration < 400_000; iteration++)
        {
            energy = potential.EnergyAndGradient(position, gradient);
            if (gradient.Sum(g => g * g) < 1e-20)
            {
                break;
            }

            for (var d = 0; d < 14; d++)
            {
                position[d] -= 1e-3 * gradient[d];
            }
        }

        return energy;
    }
}
