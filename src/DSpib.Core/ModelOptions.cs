using DSpib.Diffusion;
using DSpib.Internal;
using DSpib.Networks;
using DSpib.Spib;

namespace DSpib;

/// <summary>
/// The settings of a <see cref="DSpibModel"/>: its architecture, its prior and the seed of its initial weights. An
/// immutable value: two options with the same settings are equal, and <c>with</c> expressions make changed copies.
/// <see cref="DSpibModelBuilder"/> sets them fluently; <see cref="Validate"/> checks them, and every model builder and
/// model file runs it, so options that build also save and load.
/// </summary>
public sealed record ModelOptions
{
    private ValueList<int> _decoderHiddenLayers = ValueList<int>.Of([16, 16], nameof(DecoderHiddenLayers));

    /// <summary>The defaults: the SPIB baseline with the reference architecture (linear encoder, 2-D latent space, decoder 16, 16).</summary>
    public static ModelOptions Default { get; } = new();

    /// <summary>
    /// Descriptors per frame, or <see langword="null"/> (the default) to take it from the data the model is first
    /// trained on.
    /// </summary>
    public int? InputDimension { get; init; }

    /// <summary>Dimension D of the representation z (default 2; 1-3 is typical for a collective variable).</summary>
    public int LatentDimension { get; init; } = 2;

    /// <summary>Shape of the encoder (default: linear, the reference).</summary>
    public EncoderOptions Encoder { get; init; } = EncoderOptions.Linear;

    /// <summary>Widths of the state decoder's hidden layers (default and reference 16, 16; none for a linear decoder).</summary>
    public IReadOnlyList<int> DecoderHiddenLayers
    {
        get => _decoderHiddenLayers;
        init => _decoderHiddenLayers = ValueList<int>.Of(value, nameof(DecoderHiddenLayers));
    }

    /// <summary>Activation of the state decoder (default ReLU).</summary>
    public Activation DecoderActivation { get; init; } = Activation.ReLU;

    /// <summary>
    /// The diffusion prior of D-SPIB, or <see langword="null"/> (the default) for the SPIB baseline, whose prior is the
    /// VampPrior.
    /// </summary>
    public DiffusionPriorOptions? Diffusion { get; init; }

    /// <summary>Seed of the weight initialisation (default 42, the reference's).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Which prior the model is trained with, as <see cref="Diffusion"/> says.</summary>
    public LatentPrior Prior => Diffusion is null ? LatentPrior.VampPrior : LatentPrior.Diffusion;

    /// <summary>Throws <see cref="ArgumentException"/>, naming the setting and how to set it, unless the options are valid.</summary>
    public void Validate()
    {
        if (InputDimension is int inputs)
        {
            Require.AtLeast(inputs, 1, nameof(InputDimension), "set the number of descriptors per frame with WithInputDimension, or leave it out to take it from the data");
        }

        Require.AtLeast(LatentDimension, 1, nameof(LatentDimension), "set it with WithLatentDimension (1-3 is typical)");
        Require.NotNull(Encoder, nameof(Encoder), "use WithLinearEncoder() or WithMlpEncoder(...)").Validate();
        Require.Widths(DecoderHiddenLayers, nameof(DecoderHiddenLayers), "give each decoder layer a width of at least 1 in WithDecoder");
        Require.Defined(DecoderActivation, nameof(DecoderActivation), "use one of the Activation values in WithDecoderActivation");
        Diffusion?.Validate();
    }
}
