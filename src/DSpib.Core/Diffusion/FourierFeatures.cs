using DSpib.Internal;
using DSpib.Networks;
using DSpib.Spib;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// Gaussian random Fourier features of a scalar, then Linear and an activation:
/// x -> act(Linear([sin(2 pi w x), cos(2 pi w x)])) with fixed frequencies w ~ N(0, scale^2) (a saved buffer).
/// </summary>
internal sealed class FourierFeatures : nn.Module<Tensor, Tensor>
{
    private readonly Tensor frequencies;
    private readonly Linear projection;
    private readonly Activation activation;

    public FourierFeatures(int dimension, double scale, int seed, Activation activation, ScalarType type, Generator initGenerator)
        : base(nameof(FourierFeatures))
    {
        using var frequencyGenerator = new Generator((ulong)seed);
        frequencies = randn(dimension / 2, dtype: type, generator: frequencyGenerator).Times(scale).DetachFromDisposeScope();
        projection = SeededInitialization.Linear(dimension, dimension, type, initGenerator);
        this.activation = activation;
        RegisterComponents();
        NativeLifetime.Own(this);
    }

    /// <summary>Embeds <paramref name="x"/> [batch] as [batch, dimension].</summary>
    public override Tensor forward(Tensor x)
    {
        var angles = (x.unsqueeze(1) * frequencies.unsqueeze(0)).Times(2 * Math.PI);
        return activation.Apply(projection.forward(cat([angles.sin(), angles.cos()], 1)));
    }
}

/// <summary>A learned embedding of a scalar: act(Linear(act(Linear(x)))).</summary>
internal sealed class LearnedScalarEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Linear first;
    private readonly Linear second;
    private readonly Activation activation;

    public LearnedScalarEmbedding(int dimension, Activation activation, ScalarType type, Generator initGenerator)
        : base(nameof(LearnedScalarEmbedding))
    {
        first = SeededInitialization.Linear(1, dimension, type, initGenerator);
        second = SeededInitialization.Linear(dimension, dimension, type, initGenerator);
        this.activation = activation;
        RegisterComponents();
        NativeLifetime.Own(this);
    }

    public override Tensor forward(Tensor x) => activation.Apply(second.forward(activation.Apply(first.forward(x.unsqueeze(1)))));
}
