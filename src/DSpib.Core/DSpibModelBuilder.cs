using DSpib.Devices;
using DSpib.Spib;

namespace DSpib;

/// <summary>
/// Fluent builder of a <see cref="DSpibModel"/>. Start with <see cref="DSpibModel.Create"/>; every method returns the
/// builder; <see cref="Build"/> validates the settings and may be called once.
/// </summary>
public sealed class DSpibModelBuilder
{
    private int? _inputDimension;
    private int _latentDimension = 2;
    private EncoderOptions _encoder = EncoderOptions.Linear;
    private int[] _decoderHidden = [16, 16];
    private Activation _decoderActivation = Activation.ReLU;
    private LatentPrior _prior = LatentPrior.VampPrior;
    private Diffusion.VpSde? _sde;
    private Diffusion.ScoreNet? _scoreNet;
    private DeviceBackend? _backend;
    private int _seed = 42;
    private bool _built;

    internal DSpibModelBuilder()
    {
    }

    /// <summary>Number of descriptors per frame (required).</summary>
    /// <param name="dimension">At least 1.</param>
    public DSpibModelBuilder WithInputDimension(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _inputDimension = dimension;
        return this;
    }

    /// <summary>Dimension of the latent representation z (default 2).</summary>
    /// <param name="dimension">At least 1; 1-3 is typical for a collective variable.</param>
    public DSpibModelBuilder WithLatentDimension(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _latentDimension = dimension;
        return this;
    }

    /// <summary>A linear encoder mean mu(X) = W X + b (the reference; the default).</summary>
    /// <param name="inputDependentVariance">Predict a per-frame log-variance with a linear head instead of one learnable scalar.</param>
    public DSpibModelBuilder WithLinearEncoder(bool inputDependentVariance = false)
    {
        _encoder = new EncoderOptions([], Activation.ReLU, inputDependentVariance);
        return this;
    }

    /// <summary>An MLP encoder mean.</summary>
    /// <param name="hiddenLayers">Widths of the hidden layers (at least one).</param>
    /// <param name="activation">Activation between layers.</param>
    /// <param name="inputDependentVariance">Predict a per-frame log-variance with a linear head instead of one learnable scalar.</param>
    public DSpibModelBuilder WithMlpEncoder(IReadOnlyList<int> hiddenLayers, Activation activation = Activation.ReLU, bool inputDependentVariance = false)
    {
        ArgumentNullException.ThrowIfNull(hiddenLayers);
        if (hiddenLayers.Count == 0)
        {
            throw new ArgumentException("An MLP encoder needs at least one hidden layer; use WithLinearEncoder() for a linear one.", nameof(hiddenLayers));
        }

        EnsureWidths(hiddenLayers, nameof(hiddenLayers));
        EnsureActivation(activation, nameof(activation));
        _encoder = new EncoderOptions(hiddenLayers.ToArray(), activation, inputDependentVariance);
        return this;
    }

    /// <summary>Hidden layer widths of the state decoder p(y | z) (reference and default: 16, 16).</summary>
    /// <param name="hiddenLayers">Widths, each at least 1; none for a linear decoder.</param>
    public DSpibModelBuilder WithDecoder(params int[] hiddenLayers)
    {
        ArgumentNullException.ThrowIfNull(hiddenLayers);
        EnsureWidths(hiddenLayers, nameof(hiddenLayers));
        _decoderHidden = (int[])hiddenLayers.Clone();
        return this;
    }

    /// <summary>Activation of the state decoder (default ReLU).</summary>
    /// <param name="activation">The activation.</param>
    public DSpibModelBuilder WithDecoderActivation(Activation activation)
    {
        EnsureActivation(activation, nameof(activation));
        _decoderActivation = activation;
        return this;
    }

    /// <summary>
    /// Plain SPIB with its VampPrior: the baseline of the D-SPIB paper, and the default of this builder.
    /// </summary>
    public DSpibModelBuilder AsSpibBaseline()
    {
        (_prior, _sde, _scoreNet) = (LatentPrior.VampPrior, null, null);
        return this;
    }

    /// <summary>
    /// D-SPIB: the temperature-conditioned diffusion prior replaces the VampPrior in a second training phase (the
    /// reference's schedule: SPIB with refinements, then the joint objective).
    /// </summary>
    /// <param name="sde">The VP-SDE, for example <c>VpSde.Create().Discrete(100, 1e-4, 0.2).Build()</c> (the reference).</param>
    /// <param name="scoreNet">The score network, for example <c>ScoreNet.Create().Reference().Build()</c>.</param>
    public DSpibModelBuilder WithDiffusionPrior(Diffusion.VpSde sde, Diffusion.ScoreNet scoreNet)
    {
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentNullException.ThrowIfNull(scoreNet);
        (_prior, _sde, _scoreNet) = (LatentPrior.Diffusion, sde, scoreNet);
        return this;
    }

    /// <summary>The device backend the model lives on (default: <see cref="DeviceBackend.Cpu"/> in float32).</summary>
    /// <param name="backend">The backend.</param>
    public DSpibModelBuilder OnDevice(DeviceBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
        return this;
    }

    /// <summary>Seed of the weight initialisation (default 42).</summary>
    /// <param name="seed">Any integer.</param>
    public DSpibModelBuilder WithSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Validates the settings and creates the (untrained) model.</summary>
    public DSpibModel Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built a model; start a new one with DSpibModel.Create().");
        }

        if (_inputDimension is not int inputDimension)
        {
            throw new InvalidOperationException("The input dimension is not set: call WithInputDimension(number of descriptors per frame) before Build().");
        }

        _built = true;
        var configuration = new ModelConfiguration(inputDimension, _latentDimension, _encoder, _decoderHidden, _decoderActivation, _prior, _seed, _sde, _scoreNet);
        var backend = _backend ?? DeviceBackend.Cpu();
        backend.Activate();
        return new DSpibModel(configuration, backend);
    }

    private static void EnsureWidths(IReadOnlyList<int> widths, string argumentName)
    {
        foreach (var width in widths)
        {
            if (width < 1)
            {
                throw new ArgumentOutOfRangeException(argumentName, width, "Every layer width must be at least 1.");
            }
        }
    }

    private static void EnsureActivation(Activation activation, string argumentName)
    {
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(argumentName, activation, "Unknown activation.");
        }
    }
}
