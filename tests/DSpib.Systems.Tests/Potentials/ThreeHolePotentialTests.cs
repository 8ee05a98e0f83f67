using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Potentials;

public class ThreeHolePotentialTests
{
    /// <summary>The formula of Metzner, Schuette and Vanden-Eijnden, written out independently of the library.</summary>
    private static double Reference(double x, double y) =>
        (3 * Math.Exp(-(x * x) - Math.Pow(y - (1.0 / 3), 2)))
        - (3 * Math.Exp(-(x * x) - Math.Pow(y - (5.0 / 3), 2)))
        - (5 * Math.Exp(-Math.Pow(x - 1, 2) - (y * y)))
        - (5 * Math.Exp(-Math.Pow(x + 1, 2) - (y * y)))
        + (0.2 * Math.Pow(x, 4))
        + (0.2 * Math.Pow(y - (1.0 / 3), 4));

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1.0, 0.0)]
    [InlineData(-0.3, 1.7)]
    [InlineData(2.1, -1.2)]
    public void Energy_MatchesThePublishedFormula(double x, double y)
    {
        ThreeHolePotential.Energy(x, y).Should().BeApproximately(Reference(x, y), 1e-12);
        new ThreeHolePotential().Energy([x, y]).Should().BeApproximately(Reference(x, y), 1e-12);
    }

    [Fact]
    public void Gradient_MatchesCentralFiniteDifferences()
    {
        var random = new Random(5);
        var potential = new ThreeHolePotential();
        var gradient = new double[2];
        for (var trial = 0; trial < 50; trial++)
        {
            var x = (random.NextDouble() * 4) - 2;
            var y = (random.NextDouble() * 3.5) - 1.5;
            potential.EnergyAndGradient([x, y], gradient);
            const double H = 1e-6;
            var dx = (Reference(x + H, y) - Reference(x - H, y)) / (2 * H);
            var dy = (Reference(x, y + H) - Reference(x, y - H)) / (2 * H);
            gradient[0].Should().BeApproximately(dx, 1e-6 * Math.Max(1, Math.Abs(dx)));
            gradient[1].Should().BeApproximately(dy, 1e-6 * Math.Max(1, Math.Abs(dy)));
        }
    }

    [Fact]
    public void LocalMinima_AreTheTwoDeepAndOneShallowWells()
    {
        var minima = new ThreeHolePotential().LocalMinima();

        minima.Should().HaveCount(3);
        minima[0][0].Should().BeApproximately(-1.05, 0.05);
        minima[0][1].Should().BeApproximately(-0.04, 0.05);
        minima[1][0].Should().BeApproximately(1.05, 0.05);
        minima[2][0].Should().BeApproximately(0, 1e-6);
        minima[2][1].Should().BeApproximately(1.54, 0.05);
        var deep = ThreeHolePotential.Energy(minima[0][0], minima[0][1]);
        ThreeHolePotential.Energy(minima[1][0], minima[1][1]).Should().BeApproximately(deep, 1e-9, "the potential is symmetric in x");
        ThreeHolePotential.Energy(minima[2][0], minima[2][1]).Should().BeGreaterThan(deep + 1);
        foreach (var minimum in minima)
        {
            ThreeHolePotential.EnergyAndGradient(minimum[0], minimum[1], out var gx, out var gy);
            Math.Sqrt((gx * gx) + (gy * gy)).Should().BeLessThan(1e-9);
        }
    }

    [Fact]
    public void Energy_WithWrongDimension_ThrowsNamingPosition()
    {
        var act = () => new ThreeHolePotential().Energy([1.0, 2.0, 3.0]);

        act.Should().Throw<ArgumentException>().WithParameterName("position");
    }
}
