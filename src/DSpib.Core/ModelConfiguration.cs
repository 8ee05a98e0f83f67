using DSpib.Spib;

namespace DSpib;

/// <summary>The architecture of a <see cref="DSpibModel"/>, as set by <see cref="DSpibModelBuilder"/>.</summary>
/// <param name="InputDimension">Descriptors per frame.</param>
/// <param name="LatentDimension">Dimension D of the representation z (1-3 typical, 2 default).</param>
/// <param name="Encoder">Shape of the encoder.</param>
/// <param name="DecoderHiddenLayers">Widths of the state decoder's hidden layers (reference 16, 16).</param>
/// <param name="DecoderActivation">Activation of the state decoder.</param>
/// <param name="Prior">The latent prior.</param>
/// <param name="Seed">Seed of the weight initialisation.</param>
/// <param name="Sde">The VP-SDE of the diffusion prior (with <see cref="LatentPrior.Diffusion"/>).</param>
/// <param name="ScoreNet">The score network's architecture (with <see cref="LatentPrior.Diffusion"/>).</param>
public sealed record ModelConfiguration(
    int InputDimension,
    int LatentDimension,
    EncoderOptions Encoder,
    IReadOnlyList<int> DecoderHiddenLayers,
    Activation DecoderActivation,
    LatentPrior Prior,
    int Seed,
    Diffusion.VpSde? Sde = null,
    Diffusion.ScoreNet? ScoreNet = null);
