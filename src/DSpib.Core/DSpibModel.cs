using DSpib.Data;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Internal;
using DSpib.Spib;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib;

/// <summary>
/// A D-SPIB model: an encoder from descriptors to a low-dimensional representation z that predicts the system's
/// future metastable state, a state decoder, and a prior over z: the temperature-conditioned diffusion prior of
/// D-SPIB (<see cref="Diffusion"/>) or the VampPrior of the SPIB baseline (<see cref="VampPrior"/>). Create one with
/// <see cref="Create"/>, train it with <see cref="Training.Trainer"/>, then encode frames, predict states and
/// generate.
/// </summary>
/// <remarks>
/// A model owns native tensors: dispose it when done. Training and loading are not to overlap other calls on the same
/// model; use one model per thread or synchronise them. <see cref="Dispose"/> is safe at any time, also while other
/// threads use the model, and <see cref="CollectiveVariable()"/> gives a snapshot any thread may use.
/// </remarks>
public sealed class DSpibModel : IDisposable, IDiffusionPriorOwner, IVampPriorOwner, ISharedNativeOwner
{
    /// <summary>Rows encoded per native call, bounding the memory used by large inputs.</summary>
    private const int InferenceBatch = 65_536;

    private readonly ILogger _logger;
    private readonly NativeUses _uses;
    private ModelNetwork? _network;

    // Set when the network has been released after Dispose (when the last running call returned).
    private bool _released;

    internal DSpibModel(ModelOptions options, DeviceBackend backend, ILogger logger)
    {
        Options = options;
        Backend = backend;
        _logger = logger;
        _uses = new NativeUses(this, ReleaseNetwork);
        Diffusion = options.Diffusion is { } diffusion ? new DiffusionPrior(diffusion, options.LatentDimension, LatentVariable.EncoderSamples, this) : null;
        CollectiveVariableDiffusion = options.Diffusion is { } means ? new DiffusionPrior(means, options.LatentDimension, LatentVariable.EncoderMeans, this) : null;
        VampPrior = options.Diffusion is null ? new VampPrior(options.LatentDimension, this) : null;
    }

    /// <summary>Starts a fluent builder.</summary>
    public static DSpibModelBuilder Create() => new();

    /// <summary>The settings the model was built with.</summary>
    public ModelOptions Options { get; }

    /// <summary>The device backend the model lives on.</summary>
    public DeviceBackend Backend { get; }

    /// <summary>Descriptors per frame: as set when building, or from the data once trained (null before then).</summary>
    public int? InputDimension => _network?.InputDimension ?? Options.InputDimension;

    /// <summary>Dimension of the latent representation.</summary>
    public int LatentDimension => Options.LatentDimension;

    /// <summary>
    /// Whether the model has been trained, so that it can encode, predict and generate: training ended, completely or
    /// by cancellation (<see cref="TrainingOutcome.IsComplete"/> tells which). A model whose training failed is not trained.
    /// </summary>
    public bool IsTrained => _network is not null && Training is not null;

    /// <summary>What training left: why it ended, whether it is complete, refinements, populations (null before training).</summary>
    public TrainingOutcome? Training { get; private set; }

    /// <summary>Number of metastable states the decoder predicts (0 before training).</summary>
    public int StateCount => _network?.StateCount ?? 0;

    /// <summary>The standardiser applied to frames before encoding (fitted by the trainer; throws before training).</summary>
    public Standardizer Standardizer => TrainedNetwork.Standardizer;

    /// <summary>
    /// The diffusion prior of a D-SPIB model, trained jointly with the encoder as the bottleneck's prior: generation and
    /// free energies at any temperature of the bottleneck's latent samples mu(X) + sigma(X) eps (what
    /// <see cref="SamplePosterior"/> draws), the encoder means blurred by its noise; <see langword="null"/> for the SPIB
    /// baseline. For the collective variable itself, use <see cref="CollectiveVariableDiffusion"/>.
    /// </summary>
    public DiffusionPrior? Diffusion { get; }

    /// <summary>
    /// The temperature-conditioned distribution of the collective variable mu(X), what <see cref="Encode(double[,])"/>
    /// returns: samples, free energies and populations at any temperature that compare with encoded frames. Fitted
    /// after training on the encoder means (<see cref="Training.TrainerBuilder.WithCollectiveVariablePrior"/>);
    /// <see langword="null"/> for the SPIB baseline; <see cref="DiffusionPrior.IsAvailable"/> tells whether a trained
    /// model has it.
    /// </summary>
    public DiffusionPrior? CollectiveVariableDiffusion { get; }

    /// <summary>The VampPrior of the SPIB baseline, to sample from; <see langword="null"/> for a D-SPIB model.</summary>
    public VampPrior? VampPrior { get; }

    /// <summary>The network, trained or in training.</summary>
    internal ModelNetwork Network
    {
        get
        {
            ObjectDisposedException.ThrowIf(_released, this);
            return _network ?? throw new InvalidOperationException("The model has no network yet: train it with Trainer.Create()...Build().Fit(model, data, labels) first.");
        }
    }

    /// <summary>The network of a trained model, for the public methods that need one.</summary>
    private ModelNetwork TrainedNetwork
    {
        get
        {
            ObjectDisposedException.ThrowIf(_released, this);
            return IsTrained
                ? _network!
                : throw new InvalidOperationException("The model is not trained yet: train it with Trainer.Create()...Build().Fit(model, data, labels) first.");
        }
    }

    internal ILogger Logger => _logger;

    DiffusionPriorNetwork IDiffusionPriorOwner.TrainedDiffusion(LatentVariable variable) => variable == LatentVariable.EncoderSamples
        ? TrainedNetwork.Diffusion!
        : TrainedNetwork.CollectiveVariableDiffusion ?? throw new InvalidOperationException(
            "The model has no collective-variable prior: it was trained WithCollectiveVariablePrior(0), its training was cancelled before it was fitted, or its file predates it. Train again with WithCollectiveVariablePrior(), or use Diffusion for the bottleneck's latent samples.");

    bool IDiffusionPriorOwner.HasDiffusion(LatentVariable variable) =>
        !_released && IsTrained && (variable == LatentVariable.EncoderSamples ? _network!.Diffusion : _network!.CollectiveVariableDiffusion) is not null;

    (IReadOnlyList<double> Minimum, IReadOnlyList<double> Maximum)? IDiffusionPriorOwner.LatentBounds =>
        Training is { LatentMinimum.Count: > 0 } outcome ? (outcome.LatentMinimum, outcome.LatentMaximum) : null;

    IReadOnlyList<double> IDiffusionPriorOwner.TrainingTemperatures => Training?.Temperatures ?? [];

    ILogger IDiffusionPriorOwner.Logger => _logger;

    (Encoder Encoder, VampPriorNetwork Prior) IVampPriorOwner.TrainedVampPrior => (TrainedNetwork.Encoder, TrainedNetwork.Prior);

    /// <summary>Encodes frames to their latent means mu(X), the collective variable.</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw (unstandardised) descriptors.</param>
    /// <returns>Frames x <see cref="LatentDimension"/> latent means.</returns>
    public double[,] Encode(double[,] frames) =>
        RunBatched(frames, nameof(frames), LatentDimension, (network, x) => network.Encoder.EncodeMean(x));

    /// <summary>
    /// The learned collective variable z = mu(X) with its Jacobian with respect to the raw descriptors, for biasing a
    /// simulation: a thread-safe float64 snapshot of the trained encoder's mean and standardiser (see
    /// <see cref="DSpib.CollectiveVariable"/>). Retraining the model does not change a snapshot already taken.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model is not trained.</exception>
    public CollectiveVariable CollectiveVariable()
    {
        using var call = NativeLifetime.Enter(this);
        var network = TrainedNetwork;
        return new CollectiveVariable(network.Encoder.MeanLayers(), network.Standardizer, network.Encoder.Options.Activation);
    }

    /// <summary>Encodes every frame of every trajectory to its latent mean, one matrix per trajectory in the set's order.</summary>
    /// <param name="data">Trajectories with <see cref="InputDimension"/> raw descriptors.</param>
    /// <returns>For each trajectory, frames x <see cref="LatentDimension"/> latent means.</returns>
    public IReadOnlyList<double[,]> Encode(TrajectorySet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        EnsureFeatureCount(data.FeatureCount, nameof(data));
        return data.Trajectories.Select(t => Encode(t.ToMatrix())).ToArray();
    }

    /// <summary>
    /// The encoder's posterior q(z | X) = N(mu(X), sigma(X)^2 I) of each frame: the means <see cref="Encode(double[,])"/>
    /// gives, and the standard deviations of the noise the bottleneck adds to them in training. The diffusion prior
    /// is trained on, and generates, latent samples of this noisy kind.
    /// </summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw descriptors.</param>
    public LatentPosterior EncodePosterior(double[,] frames)
    {
        var both = RunBatched(frames, nameof(frames), 2 * LatentDimension, (network, x) =>
        {
            var (mean, logVariance) = network.Encoder.forward(x);
            return cat([mean, logVariance.Times(0.5).exp().expand_as(mean)], 1);
        });
        return LatentPosterior.Split(both, LatentDimension);
    }

    /// <summary>One draw z = mu(X) + sigma(X) eps from the encoder's posterior per frame, as training draws them.</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw descriptors.</param>
    /// <param name="seed">Seed of the noise; the same seed gives the same draws.</param>
    public double[,] SamplePosterior(double[,] frames, int seed = 42)
    {
        using var generator = new Generator((ulong)seed, Backend.Device);
        return RunBatched(frames, nameof(frames), LatentDimension, (network, x) =>
        {
            var (mean, logVariance) = network.Encoder.forward(x);
            var noise = randn(mean.shape, dtype: mean.dtype, device: mean.device, generator: generator);
            return mean.Plus(logVariance.Times(0.5).exp() * noise);
        });
    }

    /// <summary>Predicts each frame's metastable state: the most probable state of the decoder at the frame's latent mean.</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw descriptors.</param>
    public int[] PredictStates(double[,] frames)
    {
        var states = RunBatched(frames, nameof(frames), 1, (network, x) => network.StatesOf(network.Encoder.EncodeMean(x)).unsqueeze(1));
        return ToStates(states);
    }

    /// <summary>Decoder probabilities p(state | mu(X)) of every state for each frame.</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw descriptors.</param>
    /// <returns>Frames x <see cref="StateCount"/> probabilities (rows sum to 1).</returns>
    public double[,] PredictStateProbabilities(double[,] frames) =>
        RunBatched(frames, nameof(frames), TrainedNetwork.StateCount, (network, x) => network.Decoder.forward(network.Encoder.EncodeMean(x)).exp());

    /// <summary>Assigns latent points (for example generated samples) to metastable states: the decoder's most probable state.</summary>
    /// <param name="latent">Points x <see cref="LatentDimension"/> latent coordinates.</param>
    public int[] PredictStatesOfLatent(double[,] latent)
    {
        Require.NotNull(latent, nameof(latent), "give points x latent dimensions");
        Require.That(latent.GetLength(1) == LatentDimension, nameof(latent), $"{latent.GetLength(1)} coordinates", $"must have {LatentDimension} coordinates per point", "give one column per latent dimension");
        EnsureFinite(latent, nameof(latent));
        using var call = NativeLifetime.Enter(this);
        var network = TrainedNetwork;
        using var inference = inference_mode();
        var z = tensor(ArrayViews.AsReadOnlySpan(latent).ToArray(), [latent.GetLength(0), LatentDimension], dtype: ScalarType.Float64)
            .to(Backend.ScalarType).to(Backend.Device);
        return network.StatesOf(z).cpu().data<long>().Select(s => (int)s).ToArray();
    }

    /// <summary>Predicts the metastable state of every frame of every trajectory.</summary>
    /// <param name="data">Trajectories with <see cref="InputDimension"/> descriptors.</param>
    public StateLabels PredictStates(TrajectorySet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        EnsureFeatureCount(data.FeatureCount, nameof(data));
        return new StateLabels(data.Trajectories.Select(t => PredictStates(t.ToMatrix())).ToArray());
    }

    /// <summary>
    /// Saves the trained model to one file: its settings, standardiser, weights, states and training outcome, with a
    /// checksum of every part. The save is atomic: the file is written next to <paramref name="path"/> and replaces it
    /// only when complete, so a failed save leaves any previous file intact. Load it with <see cref="Load(string, DeviceBackend?, TemperatureLaw?, ILogger?)"/>.
    /// </summary>
    /// <param name="path">The file to write (its folder must exist); by convention with the extension <c>.dspib</c>.</param>
    /// <exception cref="InvalidOperationException">The model is not trained.</exception>
    public void Save(string path)
    {
        try
        {
            using var call = NativeLifetime.Enter(this);
            ModelFile.Save(this, path);
        }
        catch (Exception exception) when (FailureLog.Record(_logger, "Saving the model", exception))
        {
            throw;
        }
    }

    /// <summary>Writes the trained model file to <paramref name="stream"/> (at its current position; the stream stays open).</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="InvalidOperationException">The model is not trained.</exception>
    public void Save(Stream stream)
    {
        try
        {
            using var call = NativeLifetime.Enter(this);
            ModelFile.Save(this, stream);
        }
        catch (Exception exception) when (FailureLog.Record(_logger, "Saving the model", exception))
        {
            throw;
        }
    }

    /// <summary>
    /// Loads a model saved with <see cref="Save(string)"/>. Every part is checked against its checksum, and the settings
    /// with the same validation as the builder's, before use; a damaged, truncated, foreign or newer-format file throws
    /// <see cref="Persistence.ModelFileException"/> and nothing is loaded.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <param name="backend">Where to put the model (default: the CPU in the precision it was saved in). Another device or precision works: the weights are converted.</param>
    /// <param name="temperatureLaw">The law of a model trained with <see cref="TemperatureLaw.Custom"/>, whose function a file cannot hold (matched by name); leave it out otherwise.</param>
    /// <param name="logger">Receives the model's warnings, and the error when loading fails (default none).</param>
    /// <exception cref="Persistence.ModelFileException">The file cannot be read; <see cref="Persistence.ModelFileException.Reason"/> says why.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static DSpibModel Load(string path, DeviceBackend? backend = null, TemperatureLaw? temperatureLaw = null, ILogger? logger = null)
    {
        try
        {
            using var call = NativeLifetime.Enter();
            return ModelFile.Load(path, backend, temperatureLaw, logger);
        }
        catch (Exception exception) when (FailureLog.Record(logger ?? NullLogger.Instance, "Loading a model", exception))
        {
            throw;
        }
    }

    /// <summary>Loads a model file from <paramref name="stream"/>; see <see cref="Load(string, DeviceBackend?, TemperatureLaw?, ILogger?)"/>.</summary>
    /// <param name="stream">A readable stream holding a model file from its current position.</param>
    /// <param name="backend">Where to put the model (default: the CPU in the precision it was saved in).</param>
    /// <param name="temperatureLaw">The law of a model trained with a custom temperature law; leave it out otherwise.</param>
    /// <param name="logger">Receives the model's warnings, and the error when loading fails (default none).</param>
    /// <exception cref="Persistence.ModelFileException">The content cannot be read; <see cref="Persistence.ModelFileException.Reason"/> says why.</exception>
    public static DSpibModel Load(Stream stream, DeviceBackend? backend = null, TemperatureLaw? temperatureLaw = null, ILogger? logger = null)
    {
        try
        {
            using var call = NativeLifetime.Enter();
            return ModelFile.Load(stream, "The model stream", backend, temperatureLaw, logger);
        }
        catch (Exception exception) when (FailureLog.Record(logger ?? NullLogger.Instance, "Loading a model", exception))
        {
            throw;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Safe while other threads use the model: calls already running finish with correct results and the native memory
    /// is released when the last of them returns; calls made after <c>Dispose</c> throw <see cref="ObjectDisposedException"/>.
    /// </remarks>
    public void Dispose() => _uses.Close();

    NativeUses ISharedNativeOwner.Uses => _uses;

    private void ReleaseNetwork()
    {
        _released = true;
        _network?.Dispose();
        _network = null;
    }

    /// <summary>
    /// Builds the network with freshly initialised weights for data of <paramref name="shape"/> (training starts with
    /// this), replacing any earlier one and its training outcome.
    /// </summary>
    internal void Initialize(NetworkShape shape, Standardizer standardizer, Generator initGenerator, Func<Encoder, Tensor> pseudoInputs) =>
        Attach(NetworkFactory.Create(Options, shape, standardizer, Backend, initGenerator, pseudoInputs));

    /// <summary>Installs a network built elsewhere with <see cref="NetworkFactory"/> (a model file or checkpoint).</summary>
    internal void Attach(ModelNetwork network)
    {
        ObjectDisposedException.ThrowIf(_released, this);
        _network?.Dispose();
        _network = network;
        Training = null;
    }

    internal void SetTrainingOutcome(TrainingOutcome outcome) => Training = outcome;

    /// <summary>Throws unless data with <paramref name="featureCount"/> descriptors per frame fit the model.</summary>
    internal void EnsureFeatureCount(int featureCount, string argumentName)
    {
        if (InputDimension is int inputs && featureCount != inputs)
        {
            throw new ArgumentException($"The data have {featureCount} descriptors per frame but the model has {inputs} inputs{(Options.InputDimension is null ? " (from the data it was trained on)" : " (WithInputDimension)")}.", argumentName);
        }
    }

    private static void EnsureFinite(double[,] values, string argumentName)
    {
        if (ArrayViews.AsReadOnlySpan(values).IndexOfAnyExceptInRange(double.MinValue, double.MaxValue) >= 0)
        {
            throw new ArgumentException("The values contain NaN or infinite numbers; remove or repair those rows first.", argumentName);
        }
    }

    private static int[] ToStates(double[,] column)
    {
        var states = new int[column.GetLength(0)];
        for (var n = 0; n < states.Length; n++)
        {
            states[n] = (int)column[n, 0];
        }

        return states;
    }

    /// <summary>Runs <paramref name="compute"/> on the standardised frames in batches; its rows are copied into the result.</summary>
    private double[,] RunBatched(double[,] frames, string argumentName, int outputWidth, Func<ModelNetwork, Tensor, Tensor> compute)
    {
        ArgumentNullException.ThrowIfNull(frames, argumentName);
        EnsureFeatureCount(frames.GetLength(1), argumentName);
        EnsureFinite(frames, argumentName);
        using var call = NativeLifetime.Enter(this);
        var network = TrainedNetwork;
        var inputs = network.InputDimension;
        var rows = frames.GetLength(0);
        var input = ArrayViews.AsReadOnlySpan(frames);
        var result = new double[rows, outputWidth];
        var output = ArrayViews.AsSpan(result);
        using var inference = inference_mode();
        for (var start = 0; start < rows; start += InferenceBatch)
        {
            var count = Math.Min(InferenceBatch, rows - start);
            using var scope = NewDisposeScope();
            var raw = tensor(input.Slice(start * inputs, count * inputs).ToArray(), [count, inputs], dtype: ScalarType.Float64)
                .to(network.Backend.ScalarType).to(network.Backend.Device);
            var batch = compute(network, network.Standardize(raw)).to(ScalarType.Float64).cpu().contiguous();
            batch.data<double>().CopyTo(output.Slice(start * outputWidth, count * outputWidth));
        }

        return result;
    }
}
