namespace DSpib.Diffusion;

/// <summary>How latent samples are generated from a diffusion prior.</summary>
public enum DiffusionSampler
{
    /// <summary>Ancestral DDPM steps over the discrete schedule (the reference's sampler, done right: started from N(0, lambda^2 I), last step included).</summary>
    Ancestral,

    /// <summary>Euler-Maruyama on the reverse-time SDE.</summary>
    ReverseSde,

    /// <summary>Reverse-SDE predictor with one Langevin corrector step per step (signal-to-noise ratio 0.16).</summary>
    PredictorCorrector,

    /// <summary>The deterministic probability-flow ODE, fixed-step RK4, from a random prior draw.</summary>
    ProbabilityFlow,

    /// <summary>The probability-flow ODE with the adaptive Dormand-Prince 5(4) pair (tolerances 1e-5).</summary>
    ProbabilityFlowAdaptive,
}
