namespace DSpib.Spib;

/// <summary>How the encoder q(z | X) = N(mu(X), sigma^2 I) is shaped.</summary>
/// <param name="HiddenLayers">Widths of the hidden layers of mu; empty for the linear encoder mu(X) = W X + b.</param>
/// <param name="Activation">Activation between hidden layers (ignored by the linear encoder).</param>
/// <param name="InputDependentVariance">
/// <see langword="false"/> (reference): log sigma^2 is one learnable scalar shared by all frames and dimensions;
/// <see langword="true"/>: a linear head predicts a per-frame, per-dimension log-variance.
/// </param>
public sealed record EncoderOptions(IReadOnlyList<int> HiddenLayers, Activation Activation, bool InputDependentVariance)
{
    /// <summary>The reference encoder: linear mean, one learnable log-variance.</summary>
    public static EncoderOptions Linear { get; } = new([], Activation.ReLU, false);

    /// <summary>Whether the mean is a linear function of the standardised input.</summary>
    public bool IsLinear => HiddenLayers.Count == 0;
}
