using DSpib.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Diffusion;

public class DiffusionWeightingTests
{
    [Fact]
    public void LikelihoodTimes_FollowTheDensityProportionalToBetaOverS2()
    {
        // The CDF of q(t) ~ beta(t) / (1 - exp(-B(t))) on [eps, 1] is [L(t) - L(eps)] / [L(1) - L(eps)] with
        // L = log(exp(B) - 1). 200,000 draws: the largest CDF deviation of a correct sampler is ~0.003 (Kolmogorov).
        var sde = VpSde.Create().Continuous(0.1, 20, 1e-3).Build();
        using var prior = new DiffusionPriorNetwork(sde, ScoreNet.Create().WithHiddenLayers(4).Build(), 2, 1.0, ScalarType.Float64, new Generator(1));
        using var uniform = rand([200_000], dtype: ScalarType.Float64, generator: new Generator(2));

        using var times = prior.LikelihoodTimes(uniform);

        var sorted = times.data<double>().ToArray().Order().ToArray();
        double L(double t) => Math.Log(Math.Exp(sde.IntegratedBeta(t)) - 1);
        var low = L(sde.SmallestTime);
        var high = L(1);
        sorted[0].Should().BeGreaterThanOrEqualTo(sde.SmallestTime - 1e-12);
        sorted[^1].Should().BeLessThanOrEqualTo(1 + 1e-12);
        foreach (var t in new[] { 0.002, 0.01, 0.05, 0.2, 0.5, 0.9 })
        {
            var empirical = (double)sorted.Count(x => x <= t) / sorted.Length;
            empirical.Should().BeApproximately((L(t) - low) / (high - low), 0.006, $"CDF at t = {t}");
        }

        // Against uniform times, small times are drawn far more often: a uniform draw lands below 0.01 one time in 111.
        ((double)sorted.Count(x => x <= 0.01) / sorted.Length).Should().BeGreaterThan(0.1);
    }

    [Fact]
    public void LikelihoodStepWeights_AreBetaOverOneMinusAlphaBar()
    {
        var sde = VpSde.Create().Discrete(100, 1e-4, 0.2).Build();
        using var prior = new DiffusionPriorNetwork(sde, ScoreNet.Create().WithHiddenLayers(4).Build(), 2, 1.0, ScalarType.Float64, new Generator(1));

        var values = prior.LikelihoodStepWeights.data<double>().ToArray();
        values[0].Should().BeApproximately(1.0, 1e-9, "beta_0 / (1 - alpha_bar_0) = beta_0 / beta_0");
        values[50].Should().BeApproximately(sde.DiscreteBeta(50) / (1 - sde.AlphaBar(50)), 1e-12);
        values[99].Should().BeApproximately(0.2 / (1 - sde.AlphaBar(99)), 1e-12);
        values[1].Should().BeLessThan(values[0], "early steps, where 1 - alpha_bar is smallest, weigh most");
    }
}
