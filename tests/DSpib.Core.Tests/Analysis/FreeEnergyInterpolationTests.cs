using DSpib.Analysis;

namespace DSpib.Core.Tests.Analysis;

/// <summary>Profiles and surfaces interpolated between their grid points, with derivatives, and capped.</summary>
public class FreeEnergyInterpolationTests
{
    private static double Quartic(double x) => 5 * Math.Pow((x * x) - 1, 2);

    private static double[] Uniform(double low, double high, int points) =>
        Enumerable.Range(0, points).Select(i => low + ((high - low) * i / (points - 1))).ToArray();

    [Fact]
    public void Profile_Evaluate_PassesThroughTheGrid_AndIsWithinTheSplineBoundBetween()
    {
        // Natural cubic spline with h = 0.05, F'''' = 120: within (5/384) h^4 120 = 9.8e-6 of F and (1/24) h^3 120 = 6.3e-4
        // of F' away from the ends (Hall and Meyer's bounds; the ends' error has decayed by (2 - sqrt 3)^14 at |x| = 1.8).
        var grid = Uniform(-2.5, 2.5, 101);
        var profile = FreeEnergyProfile.FromLogDensity(grid, grid.Select(x => -Quartic(x)).ToArray());

        grid.Select(x => profile.Evaluate(x, out _)).Should().Equal(profile.FreeEnergy, (a, b) => Math.Abs(a - b) < 1e-12);
        foreach (var x in Uniform(-1.8, 1.8, 499))
        {
            profile.Evaluate(x, out var derivative).Should().BeApproximately(Quartic(x), 9.8e-6);
            derivative.Should().BeApproximately(20 * x * ((x * x) - 1), 6.3e-4);
        }

        profile.Evaluate(7, out var outside).Should().BeApproximately(Quartic(2.5), 1e-9);
        outside.Should().Be(0);
    }

    [Fact]
    public void Profile_WithInfiniteFreeEnergies_IsInterpolatedOnlyOnceCapped()
    {
        var grid = Uniform(0, 4, 5);
        var profile = FreeEnergyProfile.FromLogDensity(grid, [0, -3, -20, double.NegativeInfinity, -2]);

        FluentActions.Invoking(() => profile.Evaluate(1, out _)).Should().Throw<InvalidOperationException>().WithMessage("*+infinity*Capped*");
        var capped = profile.Capped(10);
        capped.FreeEnergy.Should().Equal(0, 3, 10, 10, 2);
        capped.Evaluate(3, out _).Should().Be(10);
        FluentActions.Invoking(() => profile.Capped(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maximum");
        FluentActions.Invoking(() => FreeEnergyProfile.FromLogDensity([0.0, 2, 1], [0.0, 0, 0]).Evaluate(1, out _))
            .Should().Throw<InvalidOperationException>().WithMessage("*not strictly increasing*");
    }

    [Fact]
    public void Surface_Evaluate_GradientIsTheDerivativeOfTheInterpolant()
    {
        var x = Uniform(-2, 2, 41);
        var y = Uniform(-1.5, 1.5, 31);
        var logDensity = new double[x.Length, y.Length];
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                logDensity[i, j] = -Quartic(x[i]) - (3 * Math.Pow(y[j] - (0.4 * Math.Sin(2 * x[i])), 2));
            }
        }

        var surface = new FreeEnergySurface(x, y, logDensity);
        const double Step = 1e-6;
        var random = new Random(1);
        for (var n = 0; n < 100; n++)
        {
            var (a, b) = ((3.8 * random.NextDouble()) - 1.9, (2.8 * random.NextDouble()) - 1.4);
            surface.Evaluate(a, b, out var dx, out var dy);

            // Central differences of a twice continuously differentiable function: O(Step^2) plus rounding ~1e-10.
            dx.Should().BeApproximately((surface.Evaluate(a + Step, b, out _, out _) - surface.Evaluate(a - Step, b, out _, out _)) / (2 * Step), 1e-6 * Math.Max(1, Math.Abs(dx)));
            dy.Should().BeApproximately((surface.Evaluate(a, b + Step, out _, out _) - surface.Evaluate(a, b - Step, out _, out _)) / (2 * Step), 1e-6 * Math.Max(1, Math.Abs(dy)));
        }

        surface.Evaluate(x[7], y[5], out _, out _).Should().BeApproximately(surface[7, 5], 1e-12);
    }

    [Fact]
    public void Surface_FromAHistogramWithEmptyBins_IsInterpolatedOnlyOnceCapped()
    {
        var samples = new double[,] { { 0.1, 0.2 }, { 0.5, 0.5 }, { 0.9, 0.1 }, { 1.5, 1.9 } };
        var surface = FreeEnergySurface.FromHistogram(samples, bins: 2, range: new HistogramRange(0, 2, 0, 2));

        FluentActions.Invoking(() => surface.Evaluate(1, 1, out _, out _)).Should().Throw<InvalidOperationException>().WithMessage("*Capped*");
        var capped = surface.Capped(4);
        capped[0, 1].Should().Be(4);
        capped[1, 1].Should().BeApproximately(Math.Log(3), 1e-15);
        capped.Evaluate(1.5, 0.5, out _, out _).Should().BeApproximately(4, 1e-12);
        FluentActions.Invoking(() => surface.Capped(double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maximum");
    }
}
