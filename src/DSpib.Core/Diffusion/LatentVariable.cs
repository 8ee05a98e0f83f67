namespace DSpib.Diffusion;

/// <summary>Which latent variable a <see cref="DiffusionPrior"/> describes (see docs/concepts.md).</summary>
public enum LatentVariable
{
    /// <summary>
    /// The bottleneck's latent samples z = mu(X) + sigma(X) eps, which the decoder and the joint objective see in
    /// training: the encoder means blurred by the encoder's noise (<see cref="DSpibModel.SamplePosterior"/> draws them
    /// from frames). The diffusion prior of the D-SPIB objective describes these.
    /// </summary>
    EncoderSamples,

    /// <summary>
    /// The encoder means mu(X): the collective variable <see cref="DSpibModel.Encode(double[,])"/> returns, which a user
    /// plots, biases and exports. Its free energies are those of a variable computable from a frame.
    /// </summary>
    EncoderMeans,
}
