using DSpib.Analysis;
using DSpib.Data;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Internal;
using DSpib.Persistence;
using DSpib.Spib;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib;

/// <summary>
/// A D-SPIB model: an encoder from descriptors to a low-dimensional representation z that predicts the system's
/// future metastable state, a state decoder, and a prior over z. Create one with <see cref="Create"/>, train it with
/// <see cref="Training.Trainer"/>, then encode frames and predict states.
/// </summary>
/// <remarks>
/// A model owns native tensors: dispose it when done. Instances are not thread-safe; use one model per thread or
/// synchronise calls.
/// </remarks>
public sealed class DSpibModel : IDisposable
{
    /// <summary>Rows encoded per native call, bounding the memory used by large inputs.</summary>
    private const int InferenceBatch = 65_536;

    private SpibNetwork? _network;
    private double[] _statePopulations = [];
    private Training.RefinementRecord[] _refinements = [];
    private bool _disposed;

    internal DSpibModel(ModelConfiguration configuration, DeviceBackend backend)
    {
        Configuration = configuration;
        Backend = backend;
    }

    /// <summary>Starts a fluent builder.</summary>
    public static DSpibModelBuilder Create() => new();

    /// <summary>The architecture.</summary>
    public ModelConfiguration Configuration { get; }

    /// <summary>The device backend the model lives on.</summary>
    public DeviceBackend Backend { get; }

    /// <summary>Descriptors per frame.</summary>
    public int InputDimension => Configuration.InputDimension;

    /// <summary>Dimension of the latent representation.</summary>
    public int LatentDimension => Configuration.LatentDimension;

    /// <summary>Whether the model has been trained (so that it can encode and predict).</summary>
    public bool IsTrained => _network is not null;

    /// <summary>Number of metastable states the decoder predicts (0 before training).</summary>
    public int StateCount => _network?.StateCount ?? 0;

    /// <summary>
    /// Weighted fraction of the training frames assigned to each state at the end of training (empty before training).
    /// </summary>
    public IReadOnlyList<double> StatePopulations => _statePopulations;

    /// <summary>The label refinements of the training run that produced the weights, the final relabel last (empty before training).</summary>
    public IReadOnlyList<Training.RefinementRecord> Refinements => _refinements;

    /// <summary>The standardiser applied to frames before encoding (fitted by the trainer; throws before training).</summary>
    public Standardizer Standardizer => Network.Standardizer;

    internal SpibNetwork Network
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _network ?? throw new InvalidOperationException("The model is not trained yet: train it with Trainer.Create()...Build().Fit(model, data, labels) first.");
        }
    }

    /// <summary>Encodes frames to their latent means mu(X).</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw (unstandardised) descriptors.</param>
    /// <returns>Frames x <see cref="LatentDimension"/> latent means.</returns>
    public double[,] Encode(double[,] frames)
    {
        var input = Flatten(frames, nameof(frames));
        var result = new double[frames.GetLength(0), LatentDimension];
        RunBatched(input, LatentDimension, ArrayViews.AsSpan(result), (network, x) => network.Encoder.EncodeMean(x));
        return result;
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

    /// <summary>Predicts each frame's metastable state: the most probable state of the decoder at the frame's latent mean.</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw descriptors.</param>
    public int[] PredictStates(double[,] frames)
    {
        var probabilities = PredictStateProbabilities(frames);
        var states = new int[probabilities.GetLength(0)];
        for (var n = 0; n < states.Length; n++)
        {
            var best = 0;
            for (var k = 1; k < probabilities.GetLength(1); k++)
            {
                if (probabilities[n, k] > probabilities[n, best])
                {
                    best = k;
                }
            }

            states[n] = best;
        }

        return states;
    }

    /// <summary>Decoder probabilities p(state | mu(X)) of every state for each frame.</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw descriptors.</param>
    /// <returns>Frames x <see cref="StateCount"/> probabilities (rows sum to 1).</returns>
    public double[,] PredictStateProbabilities(double[,] frames)
    {
        var input = Flatten(frames, nameof(frames));
        var states = Network.StateCount;
        var result = new double[frames.GetLength(0), states];
        RunBatched(input, states, ArrayViews.AsSpan(result), (network, x) => network.Decoder.forward(network.Encoder.EncodeMean(x)).exp());
        return result;
    }

    /// <summary>
    /// Generates latent samples from the SPIB baseline's prior, its VampPrior mixture: component k with its learned
    /// weight omega_k, then N(mu(s_k), sigma^2 I).
    /// </summary>
    /// <param name="count">Number of samples (at least 1).</param>
    /// <param name="seed">Seed of the draw; the same seed gives the same samples.</param>
    /// <returns>Count x <see cref="LatentDimension"/> latent samples.</returns>
    public double[,] SamplePrior(int count, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var call = NativeLifetime.Enter(this);
        var network = Network;
        using var generator = new Generator((ulong)seed, network.Backend.Device);
        using var inference = inference_mode();
        var samples = network.Prior.Sample(count, network.Encoder, generator).to(ScalarType.Float64).cpu().contiguous();
        var result = new double[count, LatentDimension];
        samples.data<double>().CopyTo(ArrayViews.AsSpan(result));
        return result;
    }

    /// <summary>
    /// Generates latent samples from a D-SPIB model's diffusion prior at any temperature, including ones it was not
    /// trained at. Samples are drawn in batches, seeded, with progress and cancellation between batches.
    /// </summary>
    /// <param name="count">Number of samples (at least 1).</param>
    /// <param name="temperature">k_B T to generate at (positive).</param>
    /// <param name="seed">Seed of the draw; the same seed gives the same samples.</param>
    /// <param name="sampler">The sampler (ancestral DDPM needs the discrete form of the SDE).</param>
    /// <param name="steps">Integration steps of the reverse-SDE and ODE samplers (the ancestral sampler takes every discrete step).</param>
    /// <param name="progress">Receives the fraction done after each batch (optional).</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>Count x <see cref="LatentDimension"/> latent samples.</returns>
    public double[,] Sample(int count, double temperature, int seed = 42, DiffusionSampler sampler = DiffusionSampler.Ancestral, int steps = 500, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!Enum.IsDefined(sampler))
        {
            throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "Unknown sampler.");
        }

        using var call = NativeLifetime.Enter(this);
        var (prior, _) = DiffusionAt(temperature, steps);
        var result = new double[count, LatentDimension];
        Generation.Sample(prior, ArrayViews.AsSpan(result), LatentDimension, temperature, seed, sampler, steps, Backend.ScalarType, Backend.Device, progress, cancellationToken);
        return result;
    }

    /// <summary>
    /// Exact log-densities log p(z | T) of a D-SPIB model's diffusion prior at latent points, from the probability-flow
    /// ODE with the exact divergence (fixed-step RK4). The free energy in k_B T units is F(z | T) = -log p(z | T)
    /// (multiply by k_B T for energy units), as <see cref="FreeEnergySurface"/> and <see cref="FreeEnergyProfile"/> return it.
    /// </summary>
    /// <param name="latent">Points x <see cref="LatentDimension"/> latent coordinates.</param>
    /// <param name="temperature">k_B T (positive).</param>
    /// <param name="steps">RK4 steps (at least 1).</param>
    /// <returns>log p at each point, in nats.</returns>
    public double[] LogDensity(double[,] latent, double temperature, int steps = 100)
    {
        EnsureLatentWidth(latent);

        using var call = NativeLifetime.Enter(this);
        var (prior, lambda) = DiffusionAt(temperature, steps);
        return FreeEnergyEvaluation.LogDensity(prior, prior.Sde, latent, temperature, lambda, steps, Backend.ScalarType, Backend.Device);
    }

    /// <summary>
    /// The exact free-energy surface F(z | T) = -ln p(z | T), in k_B T units with minimum 0, of a D-SPIB model with a
    /// two-dimensional latent space, on the grid <paramref name="x"/> by <paramref name="y"/>.
    /// </summary>
    /// <param name="x">Grid along z_1.</param>
    /// <param name="y">Grid along z_2.</param>
    /// <param name="temperature">k_B T (positive).</param>
    /// <param name="steps">RK4 steps of the probability-flow ODE.</param>
    public FreeEnergySurface FreeEnergySurface(IReadOnlyList<double> x, IReadOnlyList<double> y, double temperature, int steps = 100)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (LatentDimension != 2)
        {
            throw new InvalidOperationException($"A free-energy surface needs a two-dimensional latent space; this model has {LatentDimension}. Use FreeEnergyProfile for one coordinate.");
        }

        if (x.Count < 2 || y.Count < 2)
        {
            throw new ArgumentException("Each grid needs at least two points.", nameof(x));
        }

        using var call = NativeLifetime.Enter(this);
        var (prior, lambda) = DiffusionAt(temperature, steps);
        return FreeEnergyEvaluation.Surface(prior, prior.Sde, x.ToArray(), y.ToArray(), temperature, lambda, steps, Backend.ScalarType, Backend.Device);
    }

    /// <summary>
    /// The exact free-energy profile F(z_d | T) = -ln p(z_d | T) along one latent coordinate, in k_B T units with
    /// minimum 0: the other coordinates are integrated out numerically over <paramref name="marginalGrid"/> (which
    /// must cover where the density is).
    /// </summary>
    /// <param name="dimension">Zero-based latent coordinate.</param>
    /// <param name="grid">Grid along that coordinate.</param>
    /// <param name="temperature">k_B T (positive).</param>
    /// <param name="marginalGrid">Grid for each of the other coordinates.</param>
    /// <param name="steps">RK4 steps of the probability-flow ODE.</param>
    public FreeEnergyProfile FreeEnergyProfile(int dimension, IReadOnlyList<double> grid, double temperature, IReadOnlyList<double> marginalGrid, int steps = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, LatentDimension);
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(marginalGrid);
        if (grid.Count < 2 || (LatentDimension > 1 && marginalGrid.Count < 2))
        {
            throw new ArgumentException("The grid and the marginal grid need at least two points each.", nameof(grid));
        }

        using var call = NativeLifetime.Enter(this);
        var (prior, lambda) = DiffusionAt(temperature, steps);
        return FreeEnergyEvaluation.Profile(prior, prior.Sde, LatentDimension, dimension, grid.ToArray(), marginalGrid.ToArray(), temperature, lambda, steps, Backend.ScalarType, Backend.Device);
    }

    /// <summary>The diffusion prior and lambda(T); the temperature is checked by the temperature law.</summary>
    private (DiffusionPrior Prior, double Lambda) DiffusionAt(double temperature, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var prior = Network.Diffusion ?? throw new InvalidOperationException("This model has no diffusion prior (it is the SPIB baseline): build it WithDiffusionPrior(...) to generate at a temperature or for exact log-densities and free energies, or use SamplePrior for the VampPrior.");
        return (prior, prior.Lambda(temperature));
    }

    private void EnsureLatentWidth(double[,] latent)
    {
        ArgumentNullException.ThrowIfNull(latent);
        if (latent.GetLength(1) != LatentDimension)
        {
            throw new ArgumentException($"The points have {latent.GetLength(1)} coordinates but the latent space has {LatentDimension}.", nameof(latent));
        }
    }

    /// <summary>Assigns latent points (for example generated samples) to metastable states: the decoder's most probable state.</summary>
    /// <param name="latent">Points x <see cref="LatentDimension"/> latent coordinates.</param>
    public int[] PredictStatesOfLatent(double[,] latent)
    {
        EnsureLatentWidth(latent);

        using var call = NativeLifetime.Enter(this);
        var network = Network;
        using var inference = inference_mode();
        var z = tensor(ArrayViews.AsReadOnlySpan(latent).ToArray(), [latent.GetLength(0), LatentDimension], dtype: ScalarType.Float64)
            .to(network.Backend.ScalarType).to(network.Backend.Device);
        return network.Decoder.Logits(z).argmax(1).cpu().data<long>().Select(s => (int)s).ToArray();
    }

    /// <summary>Predicts the metastable state of every frame of every trajectory.</summary>
    /// <param name="data">Trajectories with <see cref="InputDimension"/> descriptors.</param>
    public StateLabels PredictStates(TrajectorySet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        EnsureFeatureCount(data.FeatureCount, nameof(data));
        var labels = data.Trajectories.Select(t => PredictStates(t.ToMatrix())).ToArray();
        return new StateLabels(labels);
    }

    /// <summary>
    /// Saves the trained model to one file: its settings, standardiser, weights, states and refinement history, with
    /// a checksum of every part. The save is atomic: the file is written next to <paramref name="path"/> and replaces
    /// it only when complete, so a failed save leaves any previous file intact. Load it with <see cref="Load(string, DeviceBackend?, TemperatureLaw?)"/>.
    /// </summary>
    /// <param name="path">The file to write (its folder must exist); by convention with the extension <c>.dspib</c>.</param>
    /// <exception cref="InvalidOperationException">The model is not trained.</exception>
    public void Save(string path)
    {
        using var call = NativeLifetime.Enter(this);
        ModelFile.Save(this, path);
    }

    /// <summary>Writes the trained model file to <paramref name="stream"/> (at its current position; the stream stays open).</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="InvalidOperationException">The model is not trained.</exception>
    public void Save(Stream stream)
    {
        using var call = NativeLifetime.Enter(this);
        ModelFile.Save(this, stream);
    }

    /// <summary>
    /// Loads a model saved with <see cref="Save(string)"/>. Every part is checked against its checksum before use; a
    /// damaged, truncated, foreign or newer-format file throws <see cref="ModelFileException"/> and nothing is loaded.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <param name="backend">Where to put the model (default: the CPU in the precision it was saved in). Another device or precision works: the weights are converted.</param>
    /// <param name="temperatureLaw">The law of a model trained with <see cref="TemperatureLaw.Custom"/>, whose function a file cannot hold (matched by name); leave it out otherwise.</param>
    /// <exception cref="ModelFileException">The file cannot be read; <see cref="ModelFileException.Reason"/> says why.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    public static DSpibModel Load(string path, DeviceBackend? backend = null, TemperatureLaw? temperatureLaw = null)
    {
        using var call = NativeLifetime.Enter();
        return ModelFile.Load(path, backend, temperatureLaw);
    }

    /// <summary>Loads a model file from <paramref name="stream"/>; see <see cref="Load(string, DeviceBackend?, TemperatureLaw?)"/>.</summary>
    /// <param name="stream">A readable stream holding a model file from its current position.</param>
    /// <param name="backend">Where to put the model (default: the CPU in the precision it was saved in).</param>
    /// <param name="temperatureLaw">The law of a model trained with a custom temperature law; leave it out otherwise.</param>
    /// <exception cref="ModelFileException">The content cannot be read; <see cref="ModelFileException.Reason"/> says why.</exception>
    public static DSpibModel Load(Stream stream, DeviceBackend? backend = null, TemperatureLaw? temperatureLaw = null)
    {
        using var call = NativeLifetime.Enter();
        return ModelFile.Load(stream, "The model stream", backend, temperatureLaw);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _network?.Dispose();
        _network = null;
    }

    /// <summary>Installs a freshly initialised network (the trainer does this at the start of training).</summary>
    internal void Attach(SpibNetwork network)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _network?.Dispose();
        _network = network;
        _statePopulations = [];
        _refinements = [];
    }

    internal void SetTrainingOutcome(double[] populations, Training.RefinementRecord[] refinements) =>
        (_statePopulations, _refinements) = (populations, refinements);

    internal void EnsureFeatureCount(int featureCount, string argumentName)
    {
        if (featureCount != InputDimension)
        {
            throw new ArgumentException($"The data has {featureCount} descriptors per frame but the model was built with WithInputDimension({InputDimension}).", argumentName);
        }
    }

    private double[] Flatten(double[,] frames, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(frames, argumentName);
        EnsureFeatureCount(frames.GetLength(1), argumentName);
        var flat = ArrayViews.AsReadOnlySpan(frames).ToArray();
        foreach (var value in flat)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("The frames contain NaN or infinite values; remove or repair those frames first.", argumentName);
            }
        }

        return flat;
    }

    private void RunBatched(double[] input, int outputWidth, Span<double> output, Func<SpibNetwork, Tensor, Tensor> compute)
    {
        using var call = NativeLifetime.Enter(this);
        var network = Network;
        var rows = input.Length / InputDimension;
        using var inference = inference_mode();
        for (var start = 0; start < rows; start += InferenceBatch)
        {
            var count = Math.Min(InferenceBatch, rows - start);
            using var scope = NewDisposeScope();
            var raw = tensor(input.AsSpan(start * InputDimension, count * InputDimension).ToArray(), [count, InputDimension], dtype: ScalarType.Float64)
                .to(network.Backend.ScalarType).to(network.Backend.Device);
            var result = compute(network, network.Standardize(raw)).to(ScalarType.Float64).cpu().contiguous();
            result.data<double>().CopyTo(output.Slice(start * outputWidth, count * outputWidth));
        }
    }
}
