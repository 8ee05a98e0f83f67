using DSpib.Analysis;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;

namespace DSpib.Core.Tests.Analysis;

public class HistogramDivergenceTests
{
    private static double[,] Gaussian2D(int count, double meanX, int seed)
    {
        var normal = new Normal(0, 1, new Xoshiro256StarStar(seed));
        var samples = new double[count, 2];
        for (var n = 0; n < count; n++)
        {
            samples[n, 0] = meanX + normal.Sample();
            samples[n, 1] = normal.Sample();
        }

        return samples;
    }

    [Fact]
    public void SymmetrizedKl_OfShiftedUnitGaussians_ApproachesTheClosedForm()
    {
        // KL(N(0, I) || N((1, 0), I)) = |shift|^2 / 2 = 0.5 each way, so the symmetrised value is 0.5. With 400,000
        // samples each on 40 x 40 bins the finite-sample and binning errors are a few hundredths.
        var kl = HistogramDivergence.SymmetrizedKl(Gaussian2D(400_000, 0, 1), Gaussian2D(400_000, 1, 2), bins: 40);

        kl.Should().BeApproximately(0.5, 0.05);
    }

    [Fact]
    public void SymmetrizedKl_OfTwoSetsFromOneDistribution_IsTheSmallFiniteSampleFloor()
    {
        var same = HistogramDivergence.SymmetrizedKl(Gaussian2D(200_000, 0, 3), Gaussian2D(200_000, 0, 4), bins: 40);
        var shifted = HistogramDivergence.SymmetrizedKl(Gaussian2D(200_000, 0, 3), Gaussian2D(200_000, 0.3, 4), bins: 40);

        same.Should().BeInRange(0, 0.02);
        shifted.Should().BeGreaterThan(same + 0.02, "a shift of 0.3 gives a true value of 0.045");
    }

    [Fact]
    public void SymmetrizedKl_IsSymmetric()
    {
        var a = Gaussian2D(5_000, 0, 5);
        var b = Gaussian2D(5_000, 0.5, 6);

        HistogramDivergence.SymmetrizedKl(a, b).Should().BeApproximately(HistogramDivergence.SymmetrizedKl(b, a), 1e-12);
    }

    [Fact]
    public void SymmetrizedKl_OneDimensionalInput_IsRefused()
    {
        var act = () => HistogramDivergence.SymmetrizedKl(new double[3, 1], new double[3, 1]);

        act.Should().Throw<ArgumentException>().WithMessage("*two columns*");
    }
}

public class FreeEnergyProfileTests
{
    [Fact]
    public void FromKde_OfGaussianSamples_IsTheSmoothedParabola()
    {
        // A KDE with bandwidth h of N(0, 1) samples estimates N(0, 1 + h^2): F(x) - F(0) = x^2 / (2 (1 + h^2)).
        // 100,000 samples: the relative error of the density within |x| < 2 is below 2 %, so 0.05 k_B T.
        var normal = new Normal(0, 1, new Xoshiro256StarStar(7));
        var samples = Enumerable.Range(0, 100_000).Select(_ => normal.Sample()).ToArray();

        var profile = FreeEnergyProfile.FromKde(samples, bandwidth: 0.1, points: 81, min: -2, max: 2);

        var atZero = profile.FreeEnergy[40];
        for (var i = 0; i < 81; i++)
        {
            var x = profile.Grid[i];
            (profile.FreeEnergy[i] - atZero).Should().BeApproximately(x * x / (2 * 1.01), 0.05, $"x = {x}");
        }

        profile.FreeEnergy.Min().Should().Be(0);
    }

    [Fact]
    public void FromHistogram_AndRmse_AgreeWithTheKdeOnTheSameGrid()
    {
        var normal = new Normal(0, 1, new Xoshiro256StarStar(8));
        var samples = Enumerable.Range(0, 200_000).Select(_ => normal.Sample()).ToArray();
        var histogram = FreeEnergyProfile.FromHistogram(samples, bins: 40, min: -2, max: 2);

        histogram.Grid.Should().HaveCount(40);
        histogram.Grid[0].Should().BeApproximately(-1.95, 1e-12);
        histogram.FreeEnergy[20].Should().BeLessThan(0.05);
        histogram.FreeEnergy[0].Should().BeApproximately((1.95 * 1.95 / 2) - (0.05 * 0.05 / 2), 0.1);
        histogram.Rmse(histogram).Should().Be(0);
    }

    [Fact]
    public void Rmse_CountsOnlyPointsBelowTheCutoffOfTheReference()
    {
        var reference = FreeEnergyProfile.FromKde([0.0, 0.1, -0.1, 0.05], bandwidth: 0.5, points: 5, min: -1, max: 1);
        var other = FreeEnergyProfile.FromKde([0.3, 0.4, 0.2, 0.35], bandwidth: 0.5, points: 5, min: -1, max: 1);

        var rmse = other.Rmse(reference, cutoff: 3);

        var expected = Math.Sqrt(Enumerable.Range(0, 5).Where(i => reference.FreeEnergy[i] < 3).Average(i => Math.Pow(other.FreeEnergy[i] - reference.FreeEnergy[i], 2)));
        rmse.Should().BeApproximately(expected, 1e-12);
        FluentActions.Invoking(() => other.Rmse(FreeEnergyProfile.FromKde([0.0, 1.0], points: 6, min: -1, max: 1))).Should().Throw<ArgumentException>().WithMessage("*same grid*");
    }
}
