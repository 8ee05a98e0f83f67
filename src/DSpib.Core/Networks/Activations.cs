using static TorchSharp.torch;

namespace DSpib.Networks;

/// <summary>Applies an <see cref="Activation"/> to a tensor.</summary>

internal static class Activations
{
    public static Tensor Apply(this Activation activation, Tensor x) => activation switch
    {
        Activation.ReLU => nn.functional.relu(x),
        Activation.SiLU => nn.functional.silu(x),
        Activation.Tanh => x.tanh(),
        Activation.Identity => x.alias(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
