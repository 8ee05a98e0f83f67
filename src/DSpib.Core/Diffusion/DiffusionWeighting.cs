namespace DSpib.Diffusion;

/// <summary>How the denoising score-matching term weights the diffusion times.</summary>
public enum DiffusionWeighting
{
    /// <summary>w(t) = 1 with t uniform (the reference): simple, but it says little about low-density regions.</summary>
    Unweighted,

    /// <summary>
    /// The likelihood weighting w(t) = beta(t) / s(t)^2 with t drawn from a density proportional to it (importance
    /// sampling, as in LSGM), which makes the term a bound on the cross-entropy: the weights then cancel to a
    /// constant, and small times, where the density's fine structure is learned, are drawn more often.
    /// </summary>
    Likelihood,
}
