namespace DSpib;

/// <summary>Which prior over the latent space a model is trained with.</summary>
public enum LatentPrior
{
    /// <summary>
    /// SPIB's VampPrior: a mixture of the encoder's posteriors at one representative frame per state. This is plain
    /// SPIB (Wang and Tiwary 2021), the baseline the D-SPIB paper compares against.
    /// </summary>
    VampPrior,

    /// <summary>
    /// D-SPIB's temperature-conditioned diffusion prior: a score-based model of p(z | T) trained jointly as the
    /// bottleneck's prior, which can generate latent samples at temperatures it never saw.
    /// </summary>
    Diffusion,
}
