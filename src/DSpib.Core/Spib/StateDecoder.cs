using DSpib.Internal;
using DSpib.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Spib;

/// <summary>
/// p(y | z): an MLP from the latent space to log-probabilities of the metastable states (reference D -> 16 -> 16 -> K,
/// ReLU, log-softmax).
/// </summary>
internal sealed class StateDecoder : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> hidden = new();
    private readonly Linear output;
    private readonly Activation activation;
    private readonly IReadOnlyList<int> hiddenLayers;

    public StateDecoder(int latentDimension, IReadOnlyList<int> hiddenLayers, int stateCount, Activation activation, ScalarType type, Generator generator)
        : base(nameof(StateDecoder))
    {
        this.activation = activation;
        this.hiddenLayers = hiddenLayers;
        var width = (long)latentDimension;
        foreach (var layerWidth in hiddenLayers)
        {
            hidden.Add(SeededInitialization.Linear(width, layerWidth, type, generator));
            width = layerWidth;
        }

        output = SeededInitialization.Linear(width, stateCount, type, generator);
        StateCount = stateCount;
        LatentDimension = latentDimension;
        RegisterComponents();
        NativeLifetime.Own(this);
    }

    public int StateCount { get; }

    public int LatentDimension { get; }

    /// <summary>Log-probabilities of the states, [batch, K].</summary>
    public override Tensor forward(Tensor z) => Logits(z).log_softmax(1);

    /// <summary>Unnormalised log-probabilities of the states, [batch, K].</summary>
    public Tensor Logits(Tensor z)
    {
        var h = z;
        foreach (var layer in hidden)
        {
            h = activation.Apply(layer.forward(h));
        }

        return output.forward(h);
    }

    /// <summary>
    /// A decoder that predicts only the states in <paramref name="keep"/> (in that order): hidden layers are copied and
    /// the output layer keeps the trained rows of the surviving states.
    /// </summary>
    public StateDecoder Shrink(IReadOnlyList<int> keep, Generator generator)
    {
        var type = output.weight!.dtype;
        var device = output.weight.device;
        var result = new StateDecoder(LatentDimension, hiddenLayers, keep.Count, activation, type, generator);
        result.to(device);
        using var noGrad = no_grad();
        for (var i = 0; i < hidden.Count; i++)
        {
            result.hidden[i].weight!.copy_(hidden[i].weight!);
            result.hidden[i].bias!.copy_(hidden[i].bias!);
        }

        using var rows = tensor(keep.Select(k => (long)k).ToArray(), device: device);
        using var keptWeight = output.weight.index_select(0, rows);
        using var keptBias = output.bias!.index_select(0, rows);
        result.output.weight!.copy_(keptWeight);
        result.output.bias!.copy_(keptBias);
        return result;
    }
}
