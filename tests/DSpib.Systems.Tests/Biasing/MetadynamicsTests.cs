using DSpib.Systems.Biasing;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Biasing;

/// <summary>
/// Well-tempered metadynamics on a one-dimensional double well V(x) = 5 (x^2 - 1)^2 at k_B T = 1 (a barrier of 5 k_B T),
/// with the coordinate itself as the variable, so the exact free energy is V and each well holds half the population.
/// </summary>
public class MetadynamicsTests
{
    private sealed class DoubleWell : IPotential
    {
        public int Dimension => 1;

        public double Energy(ReadOnlySpan<double> position) => 5 * Math.Pow((position[0] * position[0]) - 1, 2);

        public double EnergyAndGradient(ReadOnlySpan<double> position, Span<double> gradient)
        {
            var x = position[0];
            gradient[0] = 20 * x * ((x * x) - 1);
            return Energy(position);
        }
    }

    private sealed class Coordinate : ICollectiveVariable
    {
        public int InputDimension => 1;

        public int Dimension => 1;

        public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian)
        {
            value[0] = position[0];
            if (!jacobian.IsEmpty)
            {
                jacobian[0] = 1;
            }
        }
    }

    [Fact]
    public void TheBiasAndTheReweightedFrames_RecoverTheDoubleWellsFreeEnergy()
    {
        var options = new LangevinOptions { Temperature = 1.0, TimeStep = 1e-3, Walkers = 2, FramesPerWalker = 20_000, StepsPerFrame = 10, Seed = 11 };
        var metadynamics = new WellTemperedMetadynamics(new Coordinate(), new MetadynamicsOptions
        {
            Temperature = 1.0, BiasFactor = 8, Height = 0.3, Width = 0.1, Stride = 100, GridMinimum = -2.5, GridMaximum = 2.5, GridBins = 500,
        });

        var result = new OverdampedLangevin(options).Run(new DoubleWell(), metadynamics, [[-1.0]]);

        metadynamics.Hills.Should().Be(2 * 200_000 / 100);
        var values = result.Trajectories.SelectMany(t => Enumerable.Range(0, t.GetLength(0)).Select(n => t[n, 0])).ToArray();
        var weights = Reweighting.Weights(result.LogWeights!);
        var right = values.Select((x, n) => x > 0 ? weights[n] : 0).Sum();

        // Crossings: the walkers cross the 5 k_B T barrier many times once the bias has filled the wells.
        var crossings = result.Trajectories.Sum(t => Enumerable.Range(1, t.GetLength(0) - 1).Count(n => Math.Sign(t[n, 0]) != Math.Sign(t[n - 1, 0])));
        crossings.Should().BeGreaterThan(50);

        // The exact population of each well is 1/2. 400,000 steps of two walkers with tens of round trips: the
        // statistical error of a reweighted population is a few percent; 0.08 is about three standard errors.
        right.Should().BeApproximately(0.5, 0.08);

        // Over F < 4 k_B T (|x| < 1.4, the barrier included) both estimates are within 0.5 k_B T (RMSE) of V; the bias
        // estimate converges as 1/sqrt(hills) in well-tempered metadynamics, and 4,000 hills of 0.3 leave ~0.2 k_B T.
        var grid = metadynamics.Grid();
        var fromBias = metadynamics.FreeEnergy();
        Rmse(grid, fromBias).Should().BeLessThan(0.5);
        var (centres, reweighted) = Reweighting.FreeEnergyProfile(values, weights, -2.0, 2.0, 80, 1.0);
        Rmse(centres, reweighted).Should().BeLessThan(0.5);
    }

    [Fact]
    public void BadSettings_AreNamed()
    {
        var bad = () => new WellTemperedMetadynamics(new Coordinate(), new MetadynamicsOptions { BiasFactor = 1 });

        bad.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "BiasFactor");
    }

    /// <summary>RMSE of an estimate against V over the points where V &lt; 4, after aligning the means there.</summary>
    private static double Rmse(double[] points, double[] estimate)
    {
        var well = new DoubleWell();
        var inside = Enumerable.Range(0, points.Length).Where(j => well.Energy([points[j]]) < 4 && double.IsFinite(estimate[j])).ToArray();
        var shift = inside.Average(j => estimate[j] - well.Energy([points[j]]));
        return Math.Sqrt(inside.Average(j => Math.Pow(estimate[j] - shift - well.Energy([points[j]]), 2)));
    }
}
