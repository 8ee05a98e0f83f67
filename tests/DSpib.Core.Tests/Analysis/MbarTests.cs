using DSpib.Analysis;

namespace DSpib.Core.Tests.Analysis;

public class MbarTests
{
    private static readonly double[] Temperatures = [1.0, 1.6, 2.5, 4.0];

    [Fact]
    public void HarmonicOscillator_FreeEnergiesMatchTheExactRatioOfPartitionFunctions()
    {
        // U = k |x|^2 / 2 in 3 dimensions, k_B = 1: Z(T) = (2 pi T / k)^(3/2), so f_k - f_0 = -(3/2) ln(T_k / T_0).
        var energies = HarmonicSamples(seed: 1, perState: 2000);

        var mbar = Mbar.FromTemperatures(energies, Temperatures, boltzmannConstant: 1);

        // MBAR's standard error for 2000 independent samples per neighbouring state of this overlap is about 0.02 in f;
        // 0.08 is 4 standard errors, and 20 times smaller than the smallest difference tested (0.7).
        for (var k = 1; k < Temperatures.Length; k++)
        {
            mbar.FreeEnergies[k].Should().BeApproximately(-1.5 * Math.Log(Temperatures[k] / Temperatures[0]), 0.08, $"state {k}");
        }

        mbar.FreeEnergies[0].Should().Be(0);
        mbar.FreeEnergyAtTemperature(2.0).Should().BeApproximately(-1.5 * Math.Log(2.0), 0.08);
    }

    [Fact]
    public void HarmonicOscillator_WeightsAtUnsimulatedTemperatures_GiveTheExactAverages()
    {
        var energies = HarmonicSamples(seed: 2, perState: 2000);
        var pooled = energies.SelectMany(e => e).ToArray();
        var mbar = Mbar.FromTemperatures(energies, Temperatures, boltzmannConstant: 1);

        foreach (var temperature in new[] { 1.3, 2.0, 3.2 })
        {
            var weights = mbar.WeightsAtTemperature(temperature);
            weights.Sum().Should().BeApproximately(1, 1e-12);
            // Equipartition: <U> = (3/2) T. The energy's standard deviation is sqrt(3/2) T, so with an effective sample
            // size above 2000 the standard error is below 0.03 T; 0.1 T is over 3 standard errors.
            var mean = weights.Zip(pooled).Sum(p => p.First * p.Second);
            mean.Should().BeApproximately(1.5 * temperature, 0.1 * temperature);
            Mbar.EffectiveSampleSize(weights).Should().BeGreaterThan(2000);

            // P(|x| < a) for a 3-D Gaussian of variance T per coordinate (k = 1): erf(s / sqrt 2) - sqrt(2 / pi) s e^(-s^2/2), s = a / sqrt T.
            var s = 1.5 / Math.Sqrt(temperature);
            var exact = Erf(s / Math.Sqrt(2)) - (Math.Sqrt(2 / Math.PI) * s * Math.Exp(-s * s / 2));
            var inside = pooled.Select(u => Math.Sqrt(2 * u) < 1.5 ? 0 : 1).ToArray();
            // Binomial standard error sqrt(p(1-p)/ESS) < 0.012; 0.04 is over 3 of them.
            mbar.Populations(inside, 2, temperature)[0].Should().BeApproximately(exact, 0.04);
        }
    }

    [Fact]
    public void DoubleWell_PopulationsAndProfileAtUnsimulatedTemperatures_MatchQuadrature()
    {
        // U(x) = 3 (x^2 - 1)^2 + 0.5 x: an asymmetric double well, sampled exactly (inverse CDF) at T = 0.5, 1, 2.
        static double Potential(double x) => (3 * Math.Pow((x * x) - 1, 2)) + (0.5 * x);
        double[] temperatures = [0.5, 1.0, 2.0];
        var random = new Random(3);
        var samples = temperatures.Select(t => BoltzmannSampler(Potential, t)).Select(sample => Enumerable.Range(0, 3000).Select(_ => sample(random)).ToArray()).ToArray();
        var pooled = samples.SelectMany(s => s).ToArray();
        var mbar = Mbar.FromTemperatures(samples.Select(s => s.Select(Potential).ToArray()).ToArray(), temperatures, boltzmannConstant: 1);
        var left = pooled.Select(x => x < 0 ? 0 : 1).ToArray();

        foreach (var temperature in new[] { 0.7, 1.4 })
        {
            var exactLeft = Quadrature(x => Math.Exp(-Potential(x) / temperature), -3, 0) / Quadrature(x => Math.Exp(-Potential(x) / temperature), -3, 3);
            // Samples are independent; with at least 1500 effective samples the binomial standard error is below 0.013.
            mbar.Populations(left, 2, temperature)[0].Should().BeApproximately(exactLeft, 0.04);

            // The profile on 30 bins over [-1.6, 1.6] against the exact bin-averaged F = -ln of each bin's Boltzmann mass;
            // over the bins below 3 k_B T, with ~100 or more samples each, the RMSE of -ln(count) is about 0.1-0.15.
            var profile = mbar.ProfileAtTemperature(pooled, temperature, bins: 30, min: -1.6, max: 1.6);
            var mass = profile.Grid.Select(c => Quadrature(x => Math.Exp(-Potential(x) / temperature), c - (1.6 / 30), c + (1.6 / 30))).ToArray();
            var exact = mass.Select(m => -Math.Log(m / mass.Max())).ToArray();
            var errors = Enumerable.Range(0, 30).Where(i => exact[i] < 3).Select(i => Math.Pow(profile.FreeEnergy[i] - exact[i], 2)).ToArray();
            errors.Length.Should().BeGreaterThan(10);
            Math.Sqrt(errors.Average()).Should().BeLessThan(0.25);
        }
    }

    [Fact]
    public void Solve_FromReducedPotentials_IsSelfConsistent_AndEqualsTheTemperatureForm()
    {
        var energies = HarmonicSamples(seed: 4, perState: 500);
        var pooled = energies.SelectMany(e => e).ToArray();
        var reduced = new double[Temperatures.Length, pooled.Length];
        for (var k = 0; k < Temperatures.Length; k++)
        {
            for (var n = 0; n < pooled.Length; n++)
            {
                reduced[k, n] = pooled[n] / Temperatures[k];
            }
        }

        var mbar = Mbar.Solve(reduced, energies.Select(e => e.Length).ToArray());
        var byTemperature = Mbar.FromTemperatures(energies, Temperatures, boltzmannConstant: 1);

        mbar.FreeEnergies.Should().Equal(byTemperature.FreeEnergies, (a, b) => Math.Abs(a - b) < 1e-9);
        mbar.Iterations.Should().BeLessThan(50, "the Newton steps converge quadratically");
        // At the solution, the reweighted free energy of each sampled state is its own f_k (MBAR's defining equation).
        for (var k = 0; k < Temperatures.Length; k++)
        {
            var row = Enumerable.Range(0, pooled.Length).Select(n => reduced[k, n]).ToArray();
            mbar.FreeEnergy(row).Should().BeApproximately(mbar.FreeEnergies[k], 1e-9);
        }
    }

    [Fact]
    public void SurfaceAtTemperature_ReweightsTwoObservables()
    {
        var energies = HarmonicSamples(seed: 5, perState: 1500, keepCoordinates: true, out var coordinates);
        var mbar = Mbar.FromTemperatures(energies, Temperatures, boltzmannConstant: 1);

        var surface = mbar.SurfaceAtTemperature(coordinates.Select(c => c[0]).ToArray(), coordinates.Select(c => c[1]).ToArray(), 2.0, bins: 9, min: -3, max: 3);

        // F(x, y) = (x^2 + y^2) / (2 T) for the marginal of a Gaussian: 0 at the centre bin, 2 k_B T at (+-2, 0), T = 2.
        surface[4, 4].Should().BeLessThan(0.2);
        var ring = (surface[1, 4] + surface[7, 4] + surface[4, 1] + surface[4, 7]) / 4;
        ring.Should().BeApproximately(((2.0 * 2.0) / (2 * 2.0)) - surface[4, 4], 0.25);
    }

    [Fact]
    public void BadInput_IsRefused()
    {
        ((Action)(() => Mbar.Solve(new double[2, 3], [1, 1]))).Should().Throw<ArgumentException>().WithMessage("*adding up to the 3 samples*");
        ((Action)(() => Mbar.Solve(new double[,] { { 0, double.NaN } }, [2]))).Should().Throw<ArgumentException>().WithMessage("*finite*");
        ((Action)(() => Mbar.FromTemperatures([[1.0]], [300, 400]))).Should().Throw<ArgumentException>();
        var mbar = Mbar.Solve(new double[,] { { 0, 1 } }, [2]);
        ((Action)(() => mbar.WeightsAtTemperature(300))).Should().Throw<InvalidOperationException>().WithMessage("*FromTemperatures*");
        ((Action)(() => mbar.Weights([1.0]))).Should().Throw<ArgumentException>().WithMessage("*one value per pooled sample (2)*");
    }

    private static double[][] HarmonicSamples(int seed, int perState) => HarmonicSamples(seed, perState, keepCoordinates: false, out _);

    private static double[][] HarmonicSamples(int seed, int perState, bool keepCoordinates, out double[][] coordinates)
    {
        var random = new Random(seed);
        var points = new List<double[]>();
        var energies = Temperatures.Select(t => Enumerable.Range(0, perState).Select(_ =>
        {
            var x = Enumerable.Range(0, 3).Select(_ => Math.Sqrt(t) * Gaussian(random)).ToArray();
            if (keepCoordinates)
            {
                points.Add(x);
            }

            return 0.5 * x.Sum(v => v * v);
        }).ToArray()).ToArray();
        coordinates = [.. points];
        return energies;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>Draws samples of exp(-U/T) on [-3, 3] by inverting its cumulative distribution on a fine grid.</summary>
    private static Func<Random, double> BoltzmannSampler(Func<double, double> potential, double temperature)
    {
        const int points = 20_001;
        var cumulative = new double[points];
        for (var i = 1; i < points; i++)
        {
            var (a, b) = (-3 + (6.0 * (i - 1) / (points - 1)), -3 + (6.0 * i / (points - 1)));
            cumulative[i] = cumulative[i - 1] + (0.5 * (Math.Exp(-potential(a) / temperature) + Math.Exp(-potential(b) / temperature)) * (b - a));
        }

        return random =>
        {
            var target = random.NextDouble() * cumulative[^1];
            var index = Array.BinarySearch(cumulative, target);
            index = Math.Clamp(index >= 0 ? index : ~index, 1, points - 1);
            var fraction = (target - cumulative[index - 1]) / (cumulative[index] - cumulative[index - 1]);
            return -3 + (6.0 * (index - 1 + fraction) / (points - 1));
        };
    }

    /// <summary>The integral over [a, b] by the composite Simpson rule (accurate far below the tolerances used).</summary>
    private static double Quadrature(Func<double, double> f, double a, double b)
    {
        const int intervals = 2000;
        var h = (b - a) / intervals;
        var sum = f(a) + f(b);
        for (var i = 1; i < intervals; i++)
        {
            sum += (i % 2 == 1 ? 4 : 2) * f(a + (i * h));
        }

        return sum * h / 3;
    }

    private static double Erf(double x) => MathNet.Numerics.SpecialFunctions.Erf(x);
}
