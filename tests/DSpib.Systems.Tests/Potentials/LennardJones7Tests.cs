using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Potentials;

public class LennardJones7Tests
{
    [Fact]
    public void MinimumEnergyHexagon_HasTheKnownEnergy()
    {
        var potential = new LennardJones7();

        var hexagon = potential.MinimumEnergyHexagon();

        potential.Energy(hexagon).Should().BeApproximately(-12.535, 5e-4);
    }

    [Fact]
    public void Gradient_MatchesCentralFiniteDifferences_WithTheWallActive()
    {
        var potential = new LennardJones7();
        var random = new Random(4);
        var position = potential.MinimumEnergyHexagon();

        // Push one particle beyond the wall and jiggle the rest.
        position[12] += 2.5;
        for (var d = 0; d < position.Length; d++)
        {
            position[d] += 0.05 * (random.NextDouble() - 0.5);
        }

        var gradient = new double[14];
        potential.EnergyAndGradient(position, gradient);
        for (var d = 0; d < 14; d++)
        {
            const double H = 1e-6;
            var plus = (double[])position.Clone();
            var minus = (double[])position.Clone();
            plus[d] += H;
            minus[d] -= H;
            var numeric = (potential.Energy(plus) - potential.Energy(minus)) / (2 * H);
            gradient[d].Should().BeApproximately(numeric, 1e-5 * Math.Max(1, Math.Abs(numeric)), $"coordinate {d}");
        }
    }

    [Fact]
    public void CoordinationNumbers_AndTheirMoments_FollowTheirDefinitions()
    {
        var position = new LennardJones7().MinimumEnergyHexagon();
        var coordination = new double[7];

        LennardJones7.CoordinationNumbers(position, coordination);

        for (var i = 0; i < 7; i++)
        {
            var expected = 0.0;
            for (var j = 0; j < 7; j++)
            {
                if (j != i)
                {
                    var r = Math.Sqrt(Math.Pow(position[2 * i] - position[2 * j], 2) + Math.Pow(position[(2 * i) + 1] - position[(2 * j) + 1], 2));
                    expected += (1 - Math.Pow(r / 1.5, 8)) / (1 - Math.Pow(r / 1.5, 16));
                }
            }

            coordination[i].Should().BeApproximately(expected, 1e-12);
        }

        // The central particle has six close neighbours; the ring particles three each and more distant ones.
        coordination[0].Should().BeGreaterThan(coordination[1] + 1);
        var (mu2, mu3) = LennardJones7.CoordinationMoments(coordination);
        var mean = coordination.Average();
        mu2.Should().BeApproximately(coordination.Average(c => Math.Pow(c - mean, 2)), 1e-12);
        mu3.Should().BeApproximately(coordination.Average(c => Math.Pow(c - mean, 3)), 1e-12);
        mu3.Should().BeGreaterThan(0, "one high coordination number skews the distribution up");
    }

    [Fact]
    public void Baoab_KeepsTheKineticTemperatureWithinTwoPercent()
    {
        // 20 walkers x 4,000 frames of 10 steps at dt = 0.005, friction 1: velocities decorrelate in about 20 frames,
        // so 14 coordinates give ~56,000 independent squares and a relative error near 0.6 %; 2 % is > 3 sigma.
        var potential = new LennardJones7();
        var options = new LangevinOptions { Temperature = 0.5, TimeStep = 0.005, Friction = 1, Walkers = 20, FramesPerWalker = 4_000, StepsPerFrame = 10, EquilibrationSteps = 2_000, Seed = 3 };

        var result = new BaoabLangevin(options).Run(potential, [potential.MinimumEnergyHexagon()]);

        result.MeanKineticTemperature.Should().BeApproximately(0.5, 0.01);

        // The wall confines particles relative to the centre of mass (which itself diffuses freely).
        var largest = 0.0;
        foreach (var trajectory in result.Trajectories)
        {
            for (var n = 0; n < trajectory.GetLength(0); n++)
            {
                double comX = 0, comY = 0;
                for (var i = 0; i < 7; i++)
                {
                    comX += trajectory[n, 2 * i] / 7;
                    comY += trajectory[n, (2 * i) + 1] / 7;
                }

                for (var i = 0; i < 7; i++)
                {
                    largest = Math.Max(largest, Math.Sqrt(Math.Pow(trajectory[n, 2 * i] - comX, 2) + Math.Pow(trajectory[n, (2 * i) + 1] - comY, 2)));
                }
            }
        }

        largest.Should().BeLessThan(2.5, "the wall (k = 100) keeps every particle within about its radius of 2 from the centre of mass");
    }
}

/// <summary>The analytic gradients of the LJ7 descriptors against central finite differences.</summary>
public class LennardJones7DescriptorGradientTests
{
    [Fact]
    public void CoordinationJacobian_AndMomentGradients_MatchCentralDifferences()
    {
        var potential = new LennardJones7();
        var position = potential.MinimumEnergyHexagon();
        var random = new Random(3);
        for (var d = 0; d < position.Length; d++)
        {
            position[d] += 0.2 * (random.NextDouble() - 0.5);
        }

        var coordination = new double[7];
        var jacobian = new double[7 * 14];
        LennardJones7.CoordinationNumbersAndJacobian(position, coordination, jacobian);
        var reference = new double[7];
        LennardJones7.CoordinationNumbers(position, reference);
        coordination.Should().Equal(reference, (a, b) => Math.Abs(a - b) < 1e-13);

        // Smooth functions in float64: h = 1e-6 gives truncation ~1e-12 and roundoff ~1e-10 on values of O(1).
        const double H = 1e-6;
        var up = new double[7];
        var down = new double[7];
        for (var d = 0; d < 14; d++)
        {
            var shifted = (double[])position.Clone();
            shifted[d] += H;
            LennardJones7.CoordinationNumbers(shifted, up);
            shifted[d] -= 2 * H;
            LennardJones7.CoordinationNumbers(shifted, down);
            for (var i = 0; i < 7; i++)
            {
                jacobian[(i * 14) + d].Should().BeApproximately((up[i] - down[i]) / (2 * H), 1e-7);
            }
        }

        var mu2Gradient = new double[7];
        var mu3Gradient = new double[7];
        var (mu2, mu3) = LennardJones7.CoordinationMomentsAndGradient(coordination, mu2Gradient, mu3Gradient);
        (mu2, mu3).Should().Be(LennardJones7.CoordinationMoments(coordination));
        for (var i = 0; i < 7; i++)
        {
            var shifted = (double[])coordination.Clone();
            shifted[i] += H;
            var (mu2Up, mu3Up) = LennardJones7.CoordinationMoments(shifted);
            shifted[i] -= 2 * H;
            var (mu2Down, mu3Down) = LennardJones7.CoordinationMoments(shifted);
            mu2Gradient[i].Should().BeApproximately((mu2Up - mu2Down) / (2 * H), 1e-7);
            mu3Gradient[i].Should().BeApproximately((mu3Up - mu3Down) / (2 * H), 1e-7);
        }
    }
}
