using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Dynamics;

/// <summary>The integrators add an external bias's force, and record weights that undo it.</summary>
public class BiasTests
{
    /// <summary>U_b = -f x on the first coordinate: a constant force f, with weight exp(U_b / k_B T).</summary>
    private sealed class ConstantForce(double force, double temperature) : IBias
    {
        public double AddEnergyAndGradient(int walker, ReadOnlySpan<double> position, Span<double> gradient)
        {
            gradient[0] -= force;
            return -force * position[0];
        }

        public double LogWeight(int walker, ReadOnlySpan<double> position) => -force * position[0] / temperature;
    }

    public static TheoryData<string> Integrators => new() { "overdamped", "baoab" };

    [Theory]
    [MemberData(nameof(Integrators))]
    public void AConstantForce_ShiftsAHarmonicWell_AndTheWeightsUndoIt(string integrator)
    {
        // V = x^2 / 2 (stiffness 1) with force 0.5: the biased mean is 0.5 exactly; reweighting gives back 0.
        const double Temperature = 0.5;
        var options = new LangevinOptions { Temperature = Temperature, TimeStep = 5e-3, Walkers = 4, FramesPerWalker = 20_000, StepsPerFrame = 5, EquilibrationSteps = 1_000, Seed = 7 };
        LangevinIntegrator run = integrator == "baoab" ? new BaoabLangevin(options) : new OverdampedLangevin(options);
        var bias = new ConstantForce(0.5, Temperature);

        var result = run.Run(new HarmonicPotential(1, 1.0), bias, [[0.0]]);

        double sum = 0, weighted = 0, weights = 0;
        var count = 0;
        for (var w = 0; w < 4; w++)
        {
            var frames = result.Trajectories[w];
            for (var n = 0; n < frames.GetLength(0); n++)
            {
                var x = frames[n, 0];
                sum += x;
                count++;
                var weight = Math.Exp(result.LogWeights![w][n]);
                weighted += weight * x;
                weights += weight;
                result.LogWeights[w][n].Should().Be(-0.5 * x / Temperature);
            }
        }

        // 80,000 frames with correlation time ~1 (5 frames of 5e-3 = 0.025 apart): ~2,000 independent samples of
        // variance 0.5, a standard error of ~0.016; 0.06 is about four of them (and covers the O(dt) bias of Euler).
        (sum / count).Should().BeApproximately(0.5, 0.06);
        (weighted / weights).Should().BeApproximately(0.0, 0.06);
    }

    [Fact]
    public void AnUnbiasedRun_HasNoWeights()
    {
        var result = new OverdampedLangevin(new LangevinOptions { FramesPerWalker = 10 }).Run(new HarmonicPotential(1, 1.0), [[0.0]]);

        result.LogWeights.Should().BeNull();
    }
}
