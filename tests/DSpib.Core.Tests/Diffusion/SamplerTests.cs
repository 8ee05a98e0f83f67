using DSpib.Core.Tests.Support;
using DSpib.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Diffusion;

/// <summary>
/// With the exact score of a Gaussian data distribution N(mu, s^2 I) plugged in, every sampler must return samples
/// with mean mu and standard deviation s.
/// </summary>
public class SamplerTests
{
    private static readonly double[] Mu = [1.5, -0.5];
    private const double S = 0.4;
    private const double Lambda = 1.7;
    private const long Count = 20_000;

    /// <summary>The samplers of the continuous form; the ancestral sampler has its own exact test below.</summary>
    public static TheoryData<string> SamplerNames => ["reverse-sde", "predictor-corrector", "probability-flow-rk4"];

    [Theory]
    [MemberData(nameof(SamplerNames))]
    public void Sampler_WithTheExactGaussianScore_ReproducesMeanAndStandardDeviation(string sampler)
    {
        using var generator = new Generator(11);
        var continuous = VpSde.Create().Continuous(0.1, 20, 1e-3).Build();
        using var noGrad = no_grad();

        using var samples = sampler switch
        {
            "reverse-sde" => Samplers.ReverseSde(new ExactGaussianPredictor(continuous, Mu, S), continuous, 1000, Count, 2, 1.0, Lambda, generator, ScalarType.Float64, CPU),
            "predictor-corrector" => Samplers.ReverseSde(new ExactGaussianPredictor(continuous, Mu, S), continuous, 500, Count, 2, 1.0, Lambda, generator, ScalarType.Float64, CPU, correctorSteps: 1),
            _ => Samplers.ProbabilityFlowRk4(new ExactGaussianPredictor(continuous, Mu, S), continuous, 100, Count, 2, 1.0, Lambda, generator, ScalarType.Float64, CPU),
        };

        // 20,000 samples: the standard error of a mean is S / 141 = 0.003 and of a standard deviation 0.5 %, so 0.015
        // and 4 % leave room for the samplers' own discretisation error.
        var mean = samples.mean([0]).data<double>().ToArray();
        var std = samples.std(0).data<double>().ToArray();
        for (var d = 0; d < 2; d++)
        {
            mean[d].Should().BeApproximately(Mu[d], 0.015, $"{sampler}, dimension {d}");
            std[d].Should().BeApproximately(S, 0.04 * S, $"{sampler}, dimension {d}");
        }
    }

    [Fact]
    public void Ancestral_MatchesTheExactVarianceOfItsOwnRecursion()
    {
        // For Gaussian data every ancestral step is linear: z_{i-1} = a_i (z_i - m_i mu) + ... with
        // a_i = (1 - c_i lambda s_i / V_i) / sqrt(1 - beta_i), c_i = beta_i lambda / s_i, V_i = m_i^2 S^2 + lambda^2 s_i^2,
        // plus noise of variance beta_i lambda^2 for i > 0. Iterating the variance from lambda^2 gives what the sampler
        // must produce exactly; with beta_i as the step variance (the reference's choice, rather than the posterior
        // variance) it is a few per cent above S^2 at 100 steps.
        var sde = VpSde.Create().Discrete(100, 1e-4, 0.2).Build();
        var variance = Lambda * Lambda;
        for (var i = sde.Steps - 1; i >= 0; i--)
        {
            var beta = sde.DiscreteBeta(i);
            var m = Math.Sqrt(sde.AlphaBar(i));
            var s = Math.Sqrt(1 - sde.AlphaBar(i));
            var v = (m * m * S * S) + (Lambda * Lambda * s * s);
            var a = (1 - (beta * Lambda / s * Lambda * s / v)) / Math.Sqrt(1 - beta);
            variance = (a * a * variance) + (i > 0 ? beta * Lambda * Lambda : 0);
        }

        using var generator = new Generator(5);
        using var noGrad = no_grad();
        using var samples = Samplers.Ancestral(new ExactGaussianPredictor(sde, Mu, S), sde, Count, 2, 1.0, Lambda, generator, ScalarType.Float64, CPU);

        var expected = Math.Sqrt(variance);
        expected.Should().BeInRange(S, 1.06 * S, "the step-variance bias at 100 steps is a few per cent");
        foreach (var std in samples.std(0).data<double>().ToArray())
        {
            std.Should().BeApproximately(expected, 0.02 * expected);
        }
    }

    [Fact]
    public void DormandPrince_ReproducesTheGaussian_AndAgreesWithFineRk4FromTheSameStart()
    {
        var sde = VpSde.Create().Continuous(0.1, 20, 1e-3).Build();
        var predictor = new ExactGaussianPredictor(sde, Mu, S);
        using var noGrad = no_grad();

        var (adaptive, accepted, rejected) = Samplers.ProbabilityFlowDormandPrince(predictor, sde, Count, 2, 1.0, Lambda, new Generator(3), ScalarType.Float64, CPU);
        using var fine = Samplers.ProbabilityFlowRk4(predictor, sde, 2_000, Count, 2, 1.0, Lambda, new Generator(3), ScalarType.Float64, CPU);

        using (adaptive)
        {
            // The same starting draw integrated two ways: tolerances of 1e-5 leave differences far below 1e-3.
            (adaptive - fine).abs().max().item<double>().Should().BeLessThan(1e-3);
            var mean = adaptive.mean([0]).data<double>().ToArray();
            var std = adaptive.std(0).data<double>().ToArray();
            for (var d = 0; d < 2; d++)
            {
                mean[d].Should().BeApproximately(Mu[d], 0.015);
                std[d].Should().BeApproximately(S, 0.04 * S);
            }
        }

        accepted.Should().BeInRange(5, 2_000, "an adaptive solver needs far fewer steps than fine fixed-step RK4");
        rejected.Should().BeLessThan(accepted);
    }

    [Fact]
    public void Ancestral_OnAContinuousSde_SaysWhichFormItNeeds()
    {
        var continuous = VpSde.Create().Build();

        var act = () => Samplers.Ancestral(new ExactGaussianPredictor(continuous, Mu, S), continuous, 10, 2, 1, 1, new Generator(1), ScalarType.Float32, CPU);

        act.Should().Throw<InvalidOperationException>().WithMessage("*discrete (DDPM) form*");
    }
}
