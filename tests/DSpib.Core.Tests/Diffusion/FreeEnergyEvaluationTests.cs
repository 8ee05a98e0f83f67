using DSpib.Core.Tests.Support;
using DSpib.Diffusion;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Diffusion;

public class FreeEnergyEvaluationTests
{
    private static readonly double[] Mu = [0.5, -0.2];
    private const double S = 0.6;

    private static readonly VpSde Sde = VpSde.Create().Continuous(0.1, 40, 1e-5).Build();

    private static double[] Grid(double centre, int points) => Enumerable.Range(0, points).Select(i => centre - (3 * S) + (6 * S * i / (points - 1))).ToArray();

    [Fact]
    public void Surface_MatchesTheGaussiansQuadraticFreeEnergy()
    {
        var x = Grid(Mu[0], 9);
        var y = Grid(Mu[1], 7);

        var surface = FreeEnergyEvaluation.Surface(new ExactGaussianPredictor(Sde, Mu, S), Sde, x, y, 1.0, 1.2, steps: 100, ScalarType.Float64, CPU);

        // The grids have their middle points on Mu, where F is 0.
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                var expected = (Math.Pow(x[i] - Mu[0], 2) + Math.Pow(y[j] - Mu[1], 2)) / (2 * S * S);
                surface[i, j].Should().BeApproximately(expected, 2e-3, $"({x[i]:F2}, {y[j]:F2})");
            }
        }
    }

    [Fact]
    public void Profile_IntegratesOutTheOtherCoordinate()
    {
        var grid = Grid(Mu[0], 9);
        var marginalGrid = Enumerable.Range(0, 41).Select(i => Mu[1] - (5 * S) + (10 * S * i / 40)).ToArray();

        var (profile, _) = FreeEnergyEvaluation.Profile(new ExactGaussianPredictor(Sde, Mu, S), Sde, latentDimension: 2, dimension: 0, grid, marginalGrid, 1.0, 1.2, steps: 100, ScalarType.Float64, CPU);

        for (var i = 0; i < grid.Length; i++)
        {
            profile.FreeEnergy[i].Should().BeApproximately(Math.Pow(grid[i] - Mu[0], 2) / (2 * S * S), 2e-3, $"x = {grid[i]:F2}");
        }
    }
}
