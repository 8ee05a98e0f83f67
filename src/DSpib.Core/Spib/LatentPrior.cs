namespace DSpib.Spib;

/// <summary>Which prior over the latent space a model is trained with.</summary>
public enum LatentPrior
{
    /// <summary>
    /// SPIB's VampPrior: a mixture of the encoder's posteriors at one representative frame per state. This is plain
    /// SPIB (Wang and Tiwary 2021), the baseline the D-SPIB paper compares against.
    /// </summary>
    VampPrior,
}
