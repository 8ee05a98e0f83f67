using DSpib.Internal;
using DSpib.Networks;

namespace DSpib.Diffusion;

/// <summary>
/// The architecture of the score network eps_psi(z_t, t, T), which predicts the noise added to a latent sample:
/// an MLP whose hidden layers each receive A_k e_t + B_k e_T before their activation, where e_t and e_T are the time and
/// temperature embeddings. Build one with <see cref="Create"/>; <c>ScoreNet.Create().Reference()</c> is the reference
/// shape exactly. Two architectures with the same settings are equal.
/// </summary>
public sealed record ScoreNet
{
    private readonly ValueList<int> _hiddenLayers;

    internal ScoreNet(IReadOnlyList<int> hiddenLayers, Activation activation, bool residual, int timeEmbeddingDimension, double timeEmbeddingScale, TemperatureEmbedding temperatureEmbedding, int seed)
    {
        _hiddenLayers = ValueList<int>.Of(hiddenLayers, nameof(HiddenLayers));
        Activation = activation;
        Residual = residual;
        TimeEmbeddingDimension = timeEmbeddingDimension;
        TimeEmbeddingScale = timeEmbeddingScale;
        TemperatureEmbedding = temperatureEmbedding;
        Seed = seed;
    }

    /// <summary>Starts a fluent builder with the library's default architecture: the reference shape with the smooth temperature embedding.</summary>
    public static ScoreNetBuilder Create() => new();

    /// <summary>Widths of the hidden layers (reference 16, 64, 64, 64, 64, 16).</summary>
    public IReadOnlyList<int> HiddenLayers => _hiddenLayers;

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

    /// <summary>Seed of the time embedding's random frequencies (a fixed part of the architecture, 0 by default, not the model's seed).</summary>
    public int Seed { get; }

    /// <summary>Throws <see cref="ArgumentException"/>, naming the setting, unless the architecture is valid.</summary>
    public void Validate()
    {
        Require.That(HiddenLayers.Count > 0, nameof(HiddenLayers), "[]", "needs at least one hidden layer", "give the widths with WithHiddenLayers");
        Require.Widths(HiddenLayers, nameof(HiddenLayers), "give every hidden layer a width of at least 1 with WithHiddenLayers");
        Require.Defined(Activation, nameof(Activation), "use one of the Activation values in WithActivation");
        Require.That(TimeEmbeddingDimension >= 2 && TimeEmbeddingDimension % 2 == 0, nameof(TimeEmbeddingDimension), TimeEmbeddingDimension, "must be even and at least 2", "use an even width such as 16 in WithTimeEmbedding");
        Require.Positive(TimeEmbeddingScale, nameof(TimeEmbeddingScale), "use a positive frequency scale in WithTimeEmbedding");
        Require.NotNull(TemperatureEmbedding, nameof(TemperatureEmbedding), "set one with WithTemperatureEmbedding").Validate();
    }
}

/// <summary>
/// Fluent builder of a <see cref="ScoreNet"/>; starts from the reference architecture with the smooth temperature
/// embedding (<see cref="TemperatureEmbedding.Smooth"/>), and <see cref="Reference"/> gives the reference's embedding too.
/// Like every builder of the library it only records settings; <see cref="Build"/> validates them and may be called
/// again, each time returning a new architecture.
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
        _hidden = (int[])Require.NotNull(widths, nameof(ScoreNet.HiddenLayers), "give at least one width").Clone();
        return this;
    }

    /// <summary>Activation of the hidden layers.</summary>
    /// <param name="activation">The activation.</param>
    public ScoreNetBuilder WithActivation(Activation activation)
    {
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
        (_timeDimension, _timeScale) = (dimension, scale);
        return this;
    }

    /// <summary>The temperature embedding.</summary>
    /// <param name="embedding">For example <c>TemperatureEmbedding.Fourier(16, scale: 0.1).OfLogTemperature()</c>.</param>
    public ScoreNetBuilder WithTemperatureEmbedding(TemperatureEmbedding embedding)
    {
        _temperature = Require.NotNull(embedding, nameof(ScoreNet.TemperatureEmbedding), "give an embedding, or TemperatureEmbedding.None");
        return this;
    }

    /// <summary>Seed of the time embedding's random frequencies (default 0).</summary>
    /// <param name="seed">Any integer.</param>
    public ScoreNetBuilder WithSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Validates the settings and creates the architecture description.</summary>
    /// <exception cref="ArgumentException">A setting is not valid; the exception names it.</exception>
    public ScoreNet Build()
    {
        var scoreNet = new ScoreNet(_hidden, _activation, _residual, _timeDimension, _timeScale, _temperature, _seed);
        scoreNet.Validate();
        return scoreNet;
    }
}
