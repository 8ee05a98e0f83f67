using DSpib.Internal;
using DSpib.Networks;

namespace DSpib.Spib;

/// <summary>How the encoder q(z | X) = N(mu(X), sigma^2 I) is shaped.</summary>
public sealed record EncoderOptions
{
    private ValueList<int> _hiddenLayers = ValueList<int>.Of([], nameof(HiddenLayers));

    /// <summary>The reference encoder: linear mean, one learnable log-variance.</summary>
    public static EncoderOptions Linear { get; } = new();

    /// <summary>Widths of the hidden layers of mu; empty (the default) for the linear encoder mu(X) = W X + b.</summary>
    public IReadOnlyList<int> HiddenLayers
    {
        get => _hiddenLayers;
        init => _hiddenLayers = ValueList<int>.Of(value, nameof(HiddenLayers));
    }

    /// <summary>Activation between hidden layers (ignored by the linear encoder; default ReLU).</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    /// <summary>
    /// <see langword="false"/> (reference, default): log sigma^2 is one learnable scalar shared by all frames and
    /// dimensions; <see langword="true"/>: a linear head predicts a per-frame, per-dimension log-variance.
    /// </summary>
    public bool InputDependentVariance { get; init; }

    /// <summary>Whether the mean is a linear function of the standardised input.</summary>
    public bool IsLinear => HiddenLayers.Count == 0;

    /// <summary>An MLP encoder mean.</summary>
    /// <param name="hiddenLayers">Widths of the hidden layers (at least one, each at least 1).</param>
    /// <param name="activation">Activation between layers.</param>
    /// <param name="inputDependentVariance">Predict a per-frame log-variance instead of one learnable scalar.</param>
    public static EncoderOptions Mlp(IReadOnlyList<int> hiddenLayers, Activation activation = Activation.ReLU, bool inputDependentVariance = false)
    {
        var options = new EncoderOptions { HiddenLayers = hiddenLayers, Activation = activation, InputDependentVariance = inputDependentVariance };
        Require.That(options.HiddenLayers.Count > 0, nameof(HiddenLayers), "[]", "needs at least one width for an MLP encoder", "use EncoderOptions.Linear for a linear one");
        options.Validate();
        return options;
    }

    /// <summary>Throws <see cref="ArgumentException"/>, naming the option, unless every setting is valid.</summary>
    public void Validate()
    {
        Require.Widths(HiddenLayers, nameof(HiddenLayers), "give each hidden layer of the encoder a width of at least 1");
        Require.Defined(Activation, nameof(Activation), "use one of the Activation values");
    }
}
