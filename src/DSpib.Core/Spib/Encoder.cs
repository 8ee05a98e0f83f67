using DSpib.Internal;
using DSpib.Networks;
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
            // The reference starts from sigma^2 = 1. The parameter takes over the tensor's storage; disposing the emptied
            // tensor keeps it from the finalizer.
            using var initial = zeros(1, dtype: type);
            logVariance = new Parameter(initial);
        }

        RegisterComponents();
        NativeLifetime.Own(this);
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

    /// <summary>
    /// The layers of the mean mu, input to output (the hidden layers, then the output layer), copied to float64:
    /// weight [outputs, inputs] and bias [outputs]. For exporting the encoder to other programs.
    /// </summary>
    public IReadOnlyList<(double[,] Weight, double[] Bias)> MeanLayers()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return hidden.Append(mean).Select(layer =>
        {
            var weight = layer.weight!.detach().to(ScalarType.Float64).cpu().contiguous();
            var matrix = new double[weight.shape[0], weight.shape[1]];
            weight.data<double>().CopyTo(ArrayViews.AsSpan(matrix));
            return (matrix, layer.bias!.detach().to(ScalarType.Float64).cpu().data<double>().ToArray());
        }).ToArray();
    }
}
