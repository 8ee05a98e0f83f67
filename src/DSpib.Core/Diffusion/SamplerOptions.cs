using DSpib.Internal;

namespace DSpib.Diffusion;

/// <summary>
/// How latent samples are generated from a diffusion prior. Each sampler has only the settings it uses; start from
/// the static members, for example <c>SamplerOptions.ProbabilityFlow(steps: 200)</c>.
/// </summary>
public abstract record SamplerOptions
{
    private protected SamplerOptions()
    {
    }

    /// <summary>Ancestral DDPM steps over every step of the discrete schedule (the reference's sampler, done right); needs the discrete form.</summary>
    public static AncestralSampler Ancestral { get; } = new();

    /// <summary>Euler-Maruyama on the reverse-time SDE.</summary>
    /// <param name="steps">Integration steps from t = 1 to the smallest time (at least 1).</param>
    public static ReverseSdeSampler ReverseSde(int steps = 500) => Validated(new ReverseSdeSampler { Steps = steps });

    /// <summary>The reverse-SDE predictor with Langevin corrector steps.</summary>
    /// <param name="steps">Predictor steps (at least 1).</param>
    /// <param name="signalToNoise">The corrector's signal-to-noise ratio (positive; 0.16 is Song et al.'s).</param>
    public static PredictorCorrectorSampler PredictorCorrector(int steps = 500, double signalToNoise = 0.16) =>
        Validated(new PredictorCorrectorSampler { Steps = steps, SignalToNoise = signalToNoise });

    /// <summary>The deterministic probability-flow ODE, fixed-step RK4, from a random prior draw.</summary>
    /// <param name="steps">RK4 steps (at least 1).</param>
    public static ProbabilityFlowSampler ProbabilityFlow(int steps = 500) => Validated(new ProbabilityFlowSampler { Steps = steps });

    /// <summary>The probability-flow ODE with the adaptive Dormand-Prince 5(4) pair.</summary>
    /// <param name="tolerance">Relative and absolute error tolerance per step (positive).</param>
    public static AdaptiveProbabilityFlowSampler AdaptiveProbabilityFlow(double tolerance = 1e-5) => Validated(new AdaptiveProbabilityFlowSampler { Tolerance = tolerance });

    /// <summary>The sampler a model uses when none is given: ancestral for the discrete form of the SDE, the reverse SDE with 500 steps for the continuous form.</summary>
    /// <param name="sde">The model's SDE.</param>
    public static SamplerOptions DefaultFor(VpSde sde) => Require.NotNull(sde, nameof(sde), "pass the model's SDE").IsDiscrete ? Ancestral : ReverseSde();

    /// <summary>Throws <see cref="ArgumentException"/>, naming the setting, unless the settings are valid.</summary>
    public abstract void Validate();

    private static T Validated<T>(T options)
        where T : SamplerOptions
    {
        options.Validate();
        return options;
    }
}

/// <summary>Ancestral DDPM sampling: every step of the discrete schedule, from N(0, lambda^2 I), the last step included.</summary>
public sealed record AncestralSampler : SamplerOptions
{
    /// <inheritdoc />
    public override void Validate()
    {
    }
}

/// <summary>Euler-Maruyama on the reverse-time SDE.</summary>
public sealed record ReverseSdeSampler : SamplerOptions
{
    /// <summary>Integration steps (default 500).</summary>
    public int Steps { get; init; } = 500;

    /// <inheritdoc />
    public override void Validate() => Require.AtLeast(Steps, 1, nameof(Steps), "use at least one step");
}

/// <summary>The reverse-SDE predictor with one Langevin corrector step per step.</summary>
public sealed record PredictorCorrectorSampler : SamplerOptions
{
    /// <summary>Predictor steps (default 500).</summary>
    public int Steps { get; init; } = 500;

    /// <summary>The corrector's signal-to-noise ratio (default 0.16).</summary>
    public double SignalToNoise { get; init; } = 0.16;

    /// <inheritdoc />
    public override void Validate()
    {
        Require.AtLeast(Steps, 1, nameof(Steps), "use at least one step");
        Require.Positive(SignalToNoise, nameof(SignalToNoise), "use a positive ratio such as 0.16");
    }
}

/// <summary>The probability-flow ODE with fixed-step RK4.</summary>
public sealed record ProbabilityFlowSampler : SamplerOptions
{
    /// <summary>RK4 steps (default 500).</summary>
    public int Steps { get; init; } = 500;

    /// <inheritdoc />
    public override void Validate() => Require.AtLeast(Steps, 1, nameof(Steps), "use at least one step");
}

/// <summary>The probability-flow ODE with the adaptive Dormand-Prince 5(4) pair.</summary>
public sealed record AdaptiveProbabilityFlowSampler : SamplerOptions
{
    /// <summary>Relative and absolute error tolerance per step (default 1e-5).</summary>
    public double Tolerance { get; init; } = 1e-5;

    /// <inheritdoc />
    public override void Validate() => Require.Positive(Tolerance, nameof(Tolerance), "use a positive tolerance such as 1e-5");
}
