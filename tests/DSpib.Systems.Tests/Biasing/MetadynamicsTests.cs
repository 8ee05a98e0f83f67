using DSpib.Systems.Biasing;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Biasing;

/// <summary>
/// Well-tempered metadynamics on a one-dimensional double well V(x) = 5 (x^2 - 1)^2 + tilt x at k_B T = 1 (a barrier of
/// 5 k_B T, plus or minus the tilt), with the coordinate itself as the variable, so the exact free energy is V and the
/// populations of the wells are integrals of exp(-V).
/// </summary>
public class MetadynamicsTests
{
    private sealed class DoubleWell(double tilt = 0) : IPotential
    {
        public int Dimension => 1;

        public double Energy(ReadOnlySpan<double> position) => (5 * Math.Pow((position[0] * position[0]) - 1, 2)) + (tilt * position[0]);

        public double EnergyAndGradient(ReadOnlySpan<double> position, Span<double> gradient)
        {
            var x = position[0];
            gradient[0] = (20 * x * ((x * x) - 1)) + tilt;
            return Energy(position);
        }

        /// <summary>The exact Boltzmann population of x &lt; 0 at k_B T = 1 (trapezoid rule on [-3, 3], 60,000 intervals).</summary>
        public double LeftPopulation()
        {
            double left = 0, total = 0;
            for (var i = 0; i <= 60_000; i++)
            {
                var x = -3 + (i * 1e-4);
                var p = Math.Exp(-Energy([x])) * (i == 0 || i == 60_000 ? 0.5 : 1);
                total += p;
                left += x < 0 ? p : 0;
            }

            return left / total;
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
    public void ReweightedFramesOfATiltedDoubleWell_GiveTheExactPopulations()
    {
        // Tilt 1: the left well is 2 k_B T deeper (exact population 0.870); the bias flattens the wells, so the biased
        // frames alone put about half the frames on each side, and only weights of the right sign and size give 0.870.
        var well = new DoubleWell(tilt: 1);
        var exact = well.LeftPopulation();
        exact.Should().BeApproximately(0.870, 0.001);
        var estimates = new List<double>();
        var unweighted = new List<double>();
        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            var metadynamics = new WellTemperedMetadynamics(new Coordinate(), new MetadynamicsOptions
            {
                Temperature = 1.0, BiasFactor = 8, Height = 0.3, Width = 0.1, Stride = 100, GridMinimum = -2.5, GridMaximum = 2.5, GridBins = 500,
            });
            var options = new LangevinOptions { Temperature = 1.0, TimeStep = 1e-3, Walkers = 2, FramesPerWalker = 20_000, StepsPerFrame = 10, Seed = seed };
            var result = new OverdampedLangevin(options).Run(well, metadynamics, [[-1.0]]);

            // The first 10 % (the bias filling the starting well) is left out.
            const int Skip = 2_000;
            var values = result.Trajectories.SelectMany(t => Enumerable.Range(Skip, t.GetLength(0) - Skip).Select(n => t[n, 0])).ToArray();
            var weights = Reweighting.Weights(result.LogWeights!.Select(w => w[Skip..]).ToArray());
            estimates.Add(values.Select((x, n) => x < 0 ? weights[n] : 0).Sum());
            unweighted.Add(values.Count(x => x < 0) / (double)values.Length);
        }

        // Four independent runs: their mean is within 3 standard errors of the exact population (the standard error
        // from their spread, about 0.01 here), and every run within 0.05 of it. The unweighted frames miss by 0.2 or more.
        var mean = estimates.Average();
        var found = $"estimates {string.Join(", ", estimates.Select(e => e.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}; unweighted {string.Join(", ", unweighted.Select(e => e.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}";
        var standardError = Math.Sqrt(estimates.Sum(e => (e - mean) * (e - mean)) / (estimates.Count - 1) / estimates.Count);
        standardError.Should().BeLessThan(0.02, found);
        mean.Should().BeApproximately(exact, Math.Max(3 * standardError, 0.01), found);
        estimates.Should().AllSatisfy(e => e.Should().BeApproximately(exact, 0.05, found));
        unweighted.Should().AllSatisfy(u => Math.Abs(u - exact).Should().BeGreaterThan(0.2, found));
    }

    [Fact]
    public void SeededRunsOfWalkersSharingTheBias_AreIdentical()
    {
        // Four walkers deposit a hill every frame into one bias: the hills of a frame are deposited at its end in walker
        // order, so two runs with the same seed give the same frames, weights and bias to the last bit.
        SimulationResult Run(out double[] bias)
        {
            var metadynamics = new WellTemperedMetadynamics(new Coordinate(), new MetadynamicsOptions
            {
                Temperature = 1.0, BiasFactor = 8, Height = 0.3, Width = 0.1, Stride = 10, GridMinimum = -2.5, GridMaximum = 2.5, GridBins = 500,
            });
            var options = new LangevinOptions { Temperature = 1.0, TimeStep = 1e-3, Walkers = 4, FramesPerWalker = 2_000, StepsPerFrame = 10, Seed = 5 };
            var result = new OverdampedLangevin(options).Run(new DoubleWell(), metadynamics, [[-1.0]]);
            metadynamics.Hills.Should().Be(4 * 2_000);
            bias = metadynamics.Bias();
            return result;
        }

        var first = Run(out var firstBias);
        var second = Run(out var secondBias);

        secondBias.Should().Equal(firstBias);
        for (var w = 0; w < 4; w++)
        {
            second.Trajectories[w].Cast<double>().Should().Equal(first.Trajectories[w].Cast<double>());
            second.LogWeights![w].Should().Equal(first.LogWeights![w]);
        }
    }

    [Fact]
    public void HillsTakeEffectAtTheEndOfTheFrame()
    {
        var metadynamics = new WellTemperedMetadynamics(new Coordinate(), new MetadynamicsOptions
        {
            Temperature = 1.0, BiasFactor = 8, Height = 0.3, Width = 0.1, Stride = 1, GridMinimum = -2.5, GridMaximum = 2.5, GridBins = 500,
        });
        var gradient = new double[1];

        metadynamics.AddEnergyAndGradient(1, [0.5], gradient).Should().Be(0);
        metadynamics.AddEnergyAndGradient(0, [-0.5], gradient).Should().Be(0);
        metadynamics.Hills.Should().Be(0);
        metadynamics.EndFrame();

        metadynamics.Hills.Should().Be(2);
        metadynamics.At(0.5).Value.Should().BeApproximately(0.3, 1e-3);
        metadynamics.At(-0.5).Value.Should().BeApproximately(0.3, 1e-3);

        // c(t) of the bias alone: k_B T ln of the ratio of integrals of exp(gamma V / ((gamma - 1) k_B T)) and exp(V / ((gamma - 1) k_B T)).
        var v = metadynamics.Bias();
        double upper = 0, lower = 0;
        for (var j = 0; j < v.Length; j++)
        {
            var end = j == 0 || j == v.Length - 1 ? 0.5 : 1.0;
            upper += end * Math.Exp(8 * v[j] / 7);
            lower += end * Math.Exp(v[j] / 7);
        }

        metadynamics.Offset.Should().BeApproximately(Math.Log(upper / lower), 1e-9);
        metadynamics.LogWeight(0, [0.5]).Should().BeApproximately(metadynamics.At(0.5).Value - metadynamics.Offset, 1e-12);
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
