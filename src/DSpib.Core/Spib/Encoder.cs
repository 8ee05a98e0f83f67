using DSpib.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Spib;

/// <summary>
/// The SPIB encoder q(z | X) = N(mu(X), sigma^2 I) on standardised frames. Returns the mean and the log-variance
/// (broadcastable to the mean: shape [1] for the reference scalar variance, [batch, D] for the input-dependent head).
/// </summary>
internal sealed class Encoder : nn.Module<Tensor, (Tensor Mean, Tensor LogVariance)>
{
    private readonly ModuleList<Linear> hidden = new();
    private readonly Linear mean;
    private readonly Linear? logVarianceHead;
    private readonly Parameter? logVariance;
    private readonly Activation activation;

    public Encoder(int inputDimension, int latentDimension, EncoderOptions options, ScalarType type, Generator generator)
        : base(nameof(Encoder))
    {
        Options = options;
        LatentDimension = latentDimension;
        activation = options.Activation;
        var width = (long)inputDimension;
        foreach (var layerWidth in options.HiddenLayers)
        {
            hidden.Add(SeededInitialization.Linear(width, layerWidth, type, generator));
            width = layerWidth;
        }

        mean = SeededInitialization.Linear(width, latentDimension, type, generator);
        if (options.InputDependentVariance)
        {
            logVarianceHead = SeededInitialization.Linear(width, latentDimension, type, generator);
        }
        else
        {
            // The reference starts from sigma^2 = 1.
            logVariance = new Parameter(zeros(1, dtype: type));
        }

        RegisterComponents();
    }

    public EncoderOptions Options { get; }

    public int LatentDimension { get; }

    public override (Tensor Mean, Tensor LogVariance) forward(Tensor input)
    {
        var h = input;
        foreach (var layer in hidden)
        {
            h = activation.Apply(layer.forward(h));
        }

        var mu = mean.forward(h);
        var logVar = logVarianceHead is not null ? logVarianceHead.forward(h) : logVariance!.alias();
        return (mu, logVar);
    }

    /// <summary>Only the mean, for encoding and relabelling.</summary>
    public Tensor EncodeMean(Tensor input)
    {
        var h = input;
        foreach (var layer in hidden)
        {
            h = activation.Apply(layer.forward(h));
        }

        return mean.forward(h);
    }
}
