using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Internal;

/// <summary>
/// Initialises layers from an explicit generator. TorchSharp's own layer constructors draw from the process-wide
/// RNG, which would make two models built in one process depend on each other; this keeps every model's
/// initialisation a function of its own seed.
/// </summary>
internal static class SeededInitialization
{
    /// <summary>PyTorch's default for <c>nn.Linear</c>: weight and bias uniform in ±1/sqrt(fan_in).</summary>
    public static void Reset(TorchSharp.Modules.Linear layer, Generator generator)
    {
        using var noGrad = no_grad();
        var fanIn = layer.weight!.shape[1];
        var bound = 1.0 / Math.Sqrt(fanIn);
        FillUniform(layer.weight, bound, generator);
        if (layer.bias is not null)
        {
            FillUniform(layer.bias, bound, generator);
        }
    }

    /// <summary>
    /// Fills <paramref name="target"/> uniformly in [-bound, bound). <c>nn.init.uniform_</c> in TorchSharp 0.107 ignores
    /// its generator argument, so the draw goes through <c>torch.rand</c>, which honours it.
    /// </summary>
    private static void FillUniform(Tensor target, double bound, Generator generator)
    {
        using var draw = rand(target.shape, dtype: target.dtype, generator: generator);
        using var scaled = draw.Times(2 * bound).Minus(bound);
        target.copy_(scaled);
    }

    /// <summary>A fully connected layer on the CPU in <paramref name="type"/>, initialised from <paramref name="generator"/>.</summary>
    public static TorchSharp.Modules.Linear Linear(long inputs, long outputs, ScalarType type, Generator generator)
    {
        var layer = nn.Linear(inputs, outputs, hasBias: true, dtype: type);
        Reset(layer, generator);
        return layer;
    }
}
