using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Networks;
using DSpib.Spib;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DSpib;

/// <summary>
/// Fluent builder of a <see cref="DSpibModel"/>. Start with <see cref="DSpibModel.Create"/>; every method records a
/// setting of <see cref="ModelOptions"/> and returns the builder. Like every builder of the library, <see cref="Build"/>
/// validates all settings at once (the exception names the setting and how to fix it) and may be called again, each
/// time creating a new model.
/// </summary>
public sealed class DSpibModelBuilder
{
    private ModelOptions _options = ModelOptions.Default;
    private DeviceBackend? _backend;
    private ILogger _logger = NullLogger.Instance;

    internal DSpibModelBuilder()
    {
    }

    /// <summary>Number of descriptors per frame (optional: by default it is taken from the data the model is first trained on).</summary>
    /// <param name="dimension">At least 1.</param>
    public DSpibModelBuilder WithInputDimension(int dimension) => With(_options with { InputDimension = dimension });

    /// <summary>Dimension of the latent representation z (default 2).</summary>
    /// <param name="dimension">At least 1; 1-3 is typical for a collective variable.</param>
    public DSpibModelBuilder WithLatentDimension(int dimension) => With(_options with { LatentDimension = dimension });

    /// <summary>A linear encoder mean mu(X) = W X + b (the reference; the default).</summary>
    /// <param name="inputDependentVariance">Predict a per-frame log-variance with a linear head instead of one learnable scalar.</param>
    public DSpibModelBuilder WithLinearEncoder(bool inputDependentVariance = false) =>
        With(_options with { Encoder = EncoderOptions.Linear with { InputDependentVariance = inputDependentVariance } });

    /// <summary>An MLP encoder mean.</summary>
    /// <param name="hiddenLayers">Widths of the hidden layers (at least one).</param>
    /// <param name="activation">Activation between layers.</param>
    /// <param name="inputDependentVariance">Predict a per-frame log-variance with a linear head instead of one learnable scalar.</param>
    public DSpibModelBuilder WithMlpEncoder(IReadOnlyList<int> hiddenLayers, Activation activation = Activation.ReLU, bool inputDependentVariance = false) =>
        With(_options with { Encoder = EncoderOptions.Mlp(hiddenLayers, activation, inputDependentVariance) });

    /// <summary>Hidden layer widths of the state decoder p(y | z) (reference and default: 16, 16).</summary>
    /// <param name="hiddenLayers">Widths, each at least 1; none for a linear decoder.</param>
    public DSpibModelBuilder WithDecoder(params int[] hiddenLayers) => With(_options with { DecoderHiddenLayers = hiddenLayers });

    /// <summary>Activation of the state decoder (default ReLU).</summary>
    /// <param name="activation">The activation.</param>
    public DSpibModelBuilder WithDecoderActivation(Activation activation) => With(_options with { DecoderActivation = activation });

    /// <summary>Plain SPIB with its VampPrior: the baseline of the D-SPIB paper, and the default of this builder.</summary>
    public DSpibModelBuilder AsSpibBaseline() => With(_options with { Diffusion = null });

    /// <summary>
    /// D-SPIB with the library's default diffusion prior (<see cref="DiffusionPriorOptions.Default"/>): the
    /// temperature-conditioned diffusion prior replaces the VampPrior in a second training phase (the reference's
    /// schedule: SPIB with refinements, then the joint objective).
    /// </summary>
    public DSpibModelBuilder WithDiffusionPrior() => WithDiffusionPrior(DiffusionPriorOptions.Default);

    /// <summary>D-SPIB with the given diffusion prior, for example <see cref="DiffusionPriorOptions.Reference"/>.</summary>
    /// <param name="prior">The SDE and score network.</param>
    public DSpibModelBuilder WithDiffusionPrior(DiffusionPriorOptions prior) => With(_options with { Diffusion = prior });

    /// <summary>D-SPIB with the given SDE and score network.</summary>
    /// <param name="sde">The VP-SDE, for example <c>VpSde.Create().Discrete(100, 1e-4, 0.2).Build()</c>.</param>
    /// <param name="scoreNet">The score network, for example <c>ScoreNet.Create().Reference().Build()</c>.</param>
    public DSpibModelBuilder WithDiffusionPrior(VpSde sde, ScoreNet scoreNet) =>
        WithDiffusionPrior(new DiffusionPriorOptions { Sde = sde, ScoreNet = scoreNet });

    /// <summary>Seed of the weight initialisation (default 42).</summary>
    /// <param name="seed">Any integer.</param>
    public DSpibModelBuilder WithSeed(int seed) => With(_options with { Seed = seed });

    /// <summary>Takes every setting from <paramref name="options"/> (later calls change them further).</summary>
    /// <param name="options">Complete settings; validated by <see cref="Build"/>.</param>
    public DSpibModelBuilder WithOptions(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return With(options);
    }

    /// <summary>The device backend the model lives on (default: <see cref="DeviceBackend.Cpu"/> in float32).</summary>
    /// <param name="backend">The backend.</param>
    public DSpibModelBuilder OnDevice(DeviceBackend backend)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
        return this;
    }

    /// <summary>Receives the model's warnings, such as a marginal grid that cuts off probability (default none).</summary>
    /// <param name="logger">The logger.</param>
    public DSpibModelBuilder WithLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        return this;
    }

    /// <summary>Validates the settings and creates an untrained model.</summary>
    /// <exception cref="ArgumentException">A setting is not valid; the exception names it.</exception>
    public DSpibModel Build()
    {
        _options.Validate();
        var backend = _backend ?? DeviceBackend.Cpu();
        backend.Activate();
        return new DSpibModel(_options, backend, _logger);
    }

    private DSpibModelBuilder With(ModelOptions options)
    {
        _options = options;
        return this;
    }
}
