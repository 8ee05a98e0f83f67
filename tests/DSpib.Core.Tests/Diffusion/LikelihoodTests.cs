using DSpib.Core.Tests.Support;
using DSpib.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Diffusion;

public class LikelihoodTests
{
    private static readonly double[] Mu = [0.8, -0.3];
    private const double S = 0.5;

    [Fact]
    public void LogDensity_WithTheExactGaussianScore_MatchesTheClosedFormTo1e3()
    {
        // beta_max = 40 makes the prior-at-t=1 approximation exact to exp(-B(1)/2) = 4.5e-5 in the mean; the smallest
        // time 1e-5 makes p at that time equal to the data density to ~1e-5. What is left is RK4's error.
        var sde = VpSde.Create().Continuous(betaMin: 0.1, betaMax: 40, smallestTime: 1e-5).Build();
        const double Lambda = 1.3;
        using var generator = new Generator(2);
        using var points = (randn(50, 2, dtype: ScalarType.Float64, generator: generator) * 0.8) + tensor(Mu, dtype: ScalarType.Float64);

        using var logDensity = ProbabilityFlowLikelihood.LogDensity(new ExactGaussianPredictor(sde, Mu, S), sde, points, 1.0, Lambda, steps: 200);

        var values = logDensity.data<double>().ToArray();
        var coordinates = points.data<double>().ToArray();
        for (var n = 0; n < 50; n++)
        {
            var dx = coordinates[2 * n] - Mu[0];
            var dy = coordinates[(2 * n) + 1] - Mu[1];
            var exact = (-0.5 * ((dx * dx) + (dy * dy)) / (S * S)) - (2 * Math.Log(S)) - Math.Log(2 * Math.PI);
            values[n].Should().BeApproximately(exact, 1e-3, $"point {n}");
        }
    }
}
