using DSpib.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Networks;

/// <summary>
/// Creates layers initialised from an explicit generator. TorchSharp's own layer constructors draw from the
/// process-wide RNG, which would make two models built in one process depend on each other and would advance the host
/// application's RNG; this keeps every model's initialisation a function of its own seed and touches nothing global.
/// </summary>
internal static class SeededInitialization
{
    /// <summary>
    /// A fully connected layer on the CPU in <paramref name="type"/> with PyTorch's default initialisation for
    /// <c>nn.Linear</c>: weight, then bias, uniform in ±1/sqrt(fan_in), drawn from <paramref name="generator"/>.
    /// </summary>
    public static Linear Linear(long inputs, long outputs, ScalarType type, Generator generator)
    {
        var bound = 1.0 / Math.Sqrt(inputs);
        using var noGrad = no_grad();

        // A parameter takes over its tensor's storage; disposing the emptied tensors keeps them from the finalizer.
        using var weight = Uniform([outputs, inputs], bound, type, generator);
        using var bias = Uniform([outputs], bound, type, generator);
        return nn.Linear(new Parameter(weight), new Parameter(bias));
    }

    /// <summary>
    /// Values uniform in [-bound, bound). <c>nn.init.uniform_</c> in TorchSharp 0.107 ignores its generator argument, so
    /// the draw goes through <c>torch.rand</c>, which honours it.
    /// </summary>
    private static Tensor Uniform(long[] shape, double bound, ScalarType type, Generator generator)
    {
        using var draw = rand(shape, dtype: type, generator: generator);
        using var scaled = draw.Times(2 * bound);
        return scaled.Minus(bound);
    }
}
