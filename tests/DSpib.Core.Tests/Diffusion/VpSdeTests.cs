using DSpib.Diffusion;

namespace DSpib.Core.Tests.Diffusion;

public class VpSdeTests
{
    [Fact]
    public void ForwardProcess_SimulatedWithEulerMaruyama_MatchesTheClosedFormMarginal()
    {
        // 20,000 paths from z0 = 1.5 with lambda = 2, 2,000 steps to t = 0.3: the standard error of the mean is
        // ~0.015 and of the standard deviation ~0.8 %, so 0.06 and 4 % are 4-sigma tolerances.
        var sde = VpSde.Create().Continuous(betaMin: 0.1, betaMax: 20).Build();
        const double Lambda = 2.0;
        const double Z0 = 1.5;
        const double End = 0.3;
        const int Steps = 2_000;
        var random = new MathNet.Numerics.Random.Xoshiro256StarStar(3);
        var normal = new MathNet.Numerics.Distributions.Normal(0, 1, random);
        var values = new double[20_000];
        var dt = End / Steps;
        for (var p = 0; p < values.Length; p++)
        {
            var z = Z0;
            for (var i = 0; i < Steps; i++)
            {
                var t = i * dt;
                z += (sde.Drift(z, t) * dt) + (sde.Diffusion(t, Lambda) * Math.Sqrt(dt) * normal.Sample());
            }

            values[p] = z;
        }

        var (mean, standardDeviation) = sde.Marginal(Z0, End, Lambda);
        MathNet.Numerics.Statistics.Statistics.Mean(values).Should().BeApproximately(mean, 0.06);
        MathNet.Numerics.Statistics.Statistics.StandardDeviation(values).Should().BeApproximately(standardDeviation, 0.04 * standardDeviation);
    }

    [Fact]
    public void Marginal_AtTheEnd_IsCloseToThePriorNZeroLambdaSquared()
    {
        var sde = VpSde.Create().Continuous(0.1, 20).Build();

        // B(1) = 0.1 + 19.9 / 2 = 10.05: m(1) = exp(-5.025), s(1)^2 = 1 - exp(-10.05).
        sde.IntegratedBeta(1).Should().BeApproximately(10.05, 1e-12);
        sde.MeanScale(1).Should().BeApproximately(Math.Exp(-5.025), 1e-12);
        sde.NoiseScale(1).Should().BeApproximately(Math.Sqrt(1 - Math.Exp(-10.05)), 1e-12);
        sde.Marginal(3.0, 0, 2.0).Should().Be((3.0, 0.0));
    }

    [Fact]
    public void Discrete_IsTheSameSdeAsTheContinuousFormWithScaledBetas()
    {
        var discrete = VpSde.Create().Discrete(steps: 100, betaStart: 1e-4, betaEnd: 0.2).Build();

        discrete.BetaMin.Should().BeApproximately(0.01, 1e-12);
        discrete.BetaMax.Should().BeApproximately(20, 1e-12);
        discrete.DiscreteBeta(0).Should().Be(1e-4);
        discrete.DiscreteBeta(99).Should().BeApproximately(0.2, 1e-15);
        for (var i = 0; i < 100; i++)
        {
            // prod (1 - beta_j) against exp(-B(t_i)) at t_i = (i + 1) / N: equal up to the O(beta^2) discretisation error.
            discrete.AlphaBar(i).Should().BeApproximately(Math.Exp(-discrete.IntegratedBeta(discrete.TimeOfStep(i))), 0.01, $"step {i}");
            discrete.StepOfTime(discrete.TimeOfStep(i)).Should().Be(i);
        }

        discrete.AlphaBar(0).Should().BeApproximately(1 - 1e-4, 1e-15);
    }

    [Fact]
    public void StepQuantities_OfTheContinuousForm_ExplainHowToGetThem()
    {
        var act = () => VpSde.Create().Build().AlphaBar(0);

        act.Should().Throw<InvalidOperationException>().WithMessage("*continuous*Discrete(...)*");
    }

    [Fact]
    public void Builder_RejectsBadSchedules()
    {
        // The builder records; Build validates, naming the SDE's parameter and the call that sets it.
        FluentActions.Invoking(() => VpSde.Create().Continuous(betaMin: 0).Build()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("BetaMin").WithMessage("*Continuous*");
        FluentActions.Invoking(() => VpSde.Create().Continuous(betaMin: 1, betaMax: 1).Build()).Should().Throw<ArgumentException>().WithParameterName("BetaMax");
        FluentActions.Invoking(() => VpSde.Create().Discrete(steps: 1).Build()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Steps");
        FluentActions.Invoking(() => VpSde.Create().Discrete(betaEnd: 1.5).Build()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("BetaEnd");
        FluentActions.Invoking(() => VpSde.Create().Discrete(steps: -3).Build()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Steps");
        FluentActions.Invoking(() => VpSde.Create().WithReferenceTemperature(double.NaN).Build()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("ReferenceTemperature");
    }
}

public class TemperatureLawTests
{
    [Fact]
    public void Laws_GiveTheirScales()
    {
        TemperatureLaw.Linear.Scale(0.4, 0.2).Should().BeApproximately(2, 1e-15);
        TemperatureLaw.SquareRoot.Scale(0.4, 0.2).Should().BeApproximately(Math.Sqrt(2), 1e-15);
        TemperatureLaw.Custom("cube", r => r * r * r).Scale(0.4, 0.2).Should().BeApproximately(8, 1e-12);
    }

    [Fact]
    public void Sde_UsesItsReferenceTemperature_OrTheFallback()
    {
        var withReference = VpSde.Create().WithTemperatureLaw(TemperatureLaw.SquareRoot).WithReferenceTemperature(0.5).Build();
        var withoutReference = VpSde.Create().Build();

        withReference.Lambda(2.0, fallbackReference: 0.1).Should().BeApproximately(2, 1e-15);
        withoutReference.Lambda(0.5, fallbackReference: 0.2).Should().BeApproximately(Math.Sqrt(2.5), 1e-15, "the default law is the square root");
    }

    [Fact]
    public void Reference_IsTheDiscreteFormWithTheLinearLaw()
    {
        var reference = VpSde.Create().Reference().Build();

        reference.IsDiscrete.Should().BeTrue();
        reference.Steps.Should().Be(100);
        reference.DiscreteBeta(0).Should().BeApproximately(1e-4, 1e-15);
        reference.DiscreteBeta(99).Should().BeApproximately(0.2, 1e-15);
        reference.TemperatureLaw.Should().BeSameAs(TemperatureLaw.Linear);
        reference.Lambda(0.5, fallbackReference: 0.2).Should().BeApproximately(2.5, 1e-15);
    }

    [Fact]
    public void Scale_RejectsNonPositiveTemperatures_AndBadCustomLaws()
    {
        FluentActions.Invoking(() => TemperatureLaw.Linear.Scale(0, 1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("temperature");
        FluentActions.Invoking(() => TemperatureLaw.Custom("bad", _ => -1).Scale(1, 1)).Should().Throw<InvalidOperationException>().WithMessage("*'bad'*positive*");
    }
}
