using DSpib.Spib;

namespace DSpib.Diffusion;

/// <summary>
/// The architecture of the score network eps_psi(z_t, t, T), which predicts the noise added to a latent sample:
/// an MLP whose hidden layers each receive A_k e_t + B_k e_T before their activation, where e_t and e_T are the time and
/// temperature embeddings. Build one with <see cref="Create"/>; <c>ScoreNet.Create().Reference()</c> is the reference
/// shape exactly.
/// </summary>
public sealed record ScoreNet
{
    internal ScoreNet(IReadOnlyList<int> hiddenLayers, Activation activation, bool residual, int timeEmbeddingDimension, double timeEmbeddingScale, TemperatureEmbedding temperatureEmbedding, int seed)
    {
        HiddenLayers = hiddenLayers;
        Activation = activation;
        Residual = residual;
        TimeEmbeddingDimension = timeEmbeddingDimension;
        TimeEmbeddingScale = timeEmbeddingScale;
        TemperatureEmbedding = temperatureEmbedding;
        Seed = seed;
    }

    /// <summary>Starts a fluent builder with the reference architecture's settings.</summary>
    public static ScoreNetBuilder Create() => new();

    /// <summary>Widths of the hidden layers (reference 16, 64, 64, 64, 64, 16).</summary>
    public IReadOnlyList<int> HiddenLayers { get; }

    /// <summary>Activation of the hidden layers (reference ReLU).</summary>
    public Activation Activation { get; }

    /// <summary>Whether a hidden layer as wide as the one before it adds its input to its output (reference: yes, the 64 -> 64 layers).</summary>
    public bool Residual { get; }

    /// <summary>Width of the Fourier time embedding (reference 16).</summary>
    public int TimeEmbeddingDimension { get; }

    /// <summary>Frequency scale of the Fourier time embedding (reference 100, applied to the step index in the discrete form).</summary>
    public double TimeEmbeddingScale { get; }

    /// <summary>The temperature embedding.</summary>
    public TemperatureEmbedding TemperatureEmbedding { get; }

    /// <summary>Seed of the time embedding's random frequencies.</summary>
    public int Seed { get; }
}

/// <summary>
/// Fluent builder of a <see cref="ScoreNet"/>; starts from the reference architecture with the smooth temperature
/// embedding (<see cref="TemperatureEmbedding.Smooth"/>), and <see cref="Reference"/> gives the reference's embedding too.
/// </summary>
public sealed class ScoreNetBuilder
{
    private int[] _hidden = [16, 64, 64, 64, 64, 16];
    private Activation _activation = Activation.ReLU;
    private bool _residual = true;
    private int _timeDimension = 16;
    private double _timeScale = 100;
    private TemperatureEmbedding _temperature = TemperatureEmbedding.Smooth();
    private int _seed;

    internal ScoreNetBuilder()
    {
    }

    /// <summary>
    /// The reference architecture: D -> 16 -> 64 -> 64 -> 64 -> 64 -> 16 -> D, ReLU, residual 64 -> 64 layers, Fourier
    /// time and temperature embeddings of width 16 and scale 100, the temperature one of lambda(T).
    /// </summary>
    public ScoreNetBuilder Reference()
    {
        _hidden = [16, 64, 64, 64, 64, 16];
        _activation = Activation.ReLU;
        _residual = true;
        _timeDimension = 16;
        _timeScale = 100;
        _temperature = TemperatureEmbedding.Reference();
        return this;
    }

    /// <summary>Widths of the hidden layers.</summary>
    /// <param name="widths">At least one width, each at least 1.</param>
    public ScoreNetBuilder WithHiddenLayers(params int[] widths)
    {
        ArgumentNullException.ThrowIfNull(widths);
        if (widths.Length == 0 || widths.Any(w => w < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(widths), "Give at least one hidden layer, each at least 1 wide.");
        }

        _hidden = (int[])widths.Clone();
        return this;
    }

    /// <summary>Activation of the hidden layers.</summary>
    /// <param name="activation">The activation.</param>
    public ScoreNetBuilder WithActivation(Activation activation)
    {
        if (!Enum.IsDefined(activation))
        {
            throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation.");
        }

        _activation = activation;
        return this;
    }

    /// <summary>Whether equal-width consecutive hidden layers are residual.</summary>
    /// <param name="residual">On or off.</param>
    public ScoreNetBuilder WithResiduals(bool residual)
    {
        _residual = residual;
        return this;
    }

    /// <summary>The Fourier time embedding.</summary>
    /// <param name="dimension">Even width of at least 2.</param>
    /// <param name="scale">Frequency scale (positive).</param>
    public ScoreNetBuilder WithTimeEmbedding(int dimension, double scale)
    {
        if (dimension < 2 || dimension % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Use an even width of at least 2.");
        }

        if (!(scale > 0) || !double.IsFinite(scale))
        {
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "The frequency scale must be positive and finite.");
        }

        (_timeDimension, _timeScale) = (dimension, scale);
        return this;
    }

    /// <summary>The temperature embedding.</summary>
    /// <param name="embedding">For example <c>TemperatureEmbedding.Fourier(16, scale: 0.1).OfLogTemperature()</c>.</param>
    public ScoreNetBuilder WithTemperatureEmbedding(TemperatureEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        _temperature = embedding;
        return this;
    }

    /// <summary>Seed of the time embedding's random frequencies.</summary>
    /// <param name="seed">Any integer.</param>
    public ScoreNetBuilder WithSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Creates the architecture description.</summary>
    public ScoreNet Build() => new(_hidden, _activation, _residual, _timeDimension, _timeScale, _temperature, _seed);
}
