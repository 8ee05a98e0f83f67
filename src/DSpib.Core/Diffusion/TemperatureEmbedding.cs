using DSpib.Internal;
using DSpib.Networks;
using DSpib.Spib;

namespace DSpib.Diffusion;

/// <summary>Which function of temperature an embedding sees.</summary>
public enum TemperatureInput
{
    /// <summary>k_B T itself.</summary>
    Temperature,

    /// <summary>log(k_B T): equal ratios of temperature are equal steps.</summary>
    LogTemperature,

    /// <summary>1 / k_B T (beta), the variable the Boltzmann factor is linear in.</summary>
    InverseTemperature,

    /// <summary>The noise scale lambda(T) of the temperature law (the reference's choice).</summary>
    Lambda,
}

/// <summary>The kind of temperature embedding.</summary>
public enum TemperatureEmbeddingKind
{
    /// <summary>No temperature input to the score network beyond the noise scale.</summary>
    None,

    /// <summary>Gaussian random Fourier features, then Linear and an activation.</summary>
    Fourier,

    /// <summary>A learned MLP from the scalar input.</summary>
    Learned,
}

/// <summary>
/// How the score network sees temperature: an immutable, fluent description. Examples:
/// <c>TemperatureEmbedding.Fourier(16, scale: 100).OfLambda()</c> (the reference) or
/// <c>TemperatureEmbedding.Fourier(16, scale: 0.1).OfLogTemperature()</c> (smooth in temperature, so nearby temperatures
/// get nearby codes and the network can interpolate).
/// </summary>
/// <remarks>
/// Fourier codes of two inputs x and x' are close when 2 pi scale |x - x'| is well below 1. With scale 100 the codes
/// of any two training temperatures are unrelated, so the embedding carries no information between them.
/// </remarks>
public sealed record TemperatureEmbedding
{
    private TemperatureEmbedding(TemperatureEmbeddingKind kind, int dimension, double scale, TemperatureInput input, int seed, Activation activation)
    {
        Kind = kind;
        Dimension = dimension;
        Scale = scale;
        Input = input;
        Seed = seed;
        Activation = activation;
    }

    /// <summary>
    /// The library's default: Fourier features of width 16 and scale 0.1 of log(k_B T), then Linear and ReLU. Smooth in
    /// temperature, so the network interpolates between training temperatures (docs/results.md, LJ7).
    /// </summary>
    public static TemperatureEmbedding Smooth() => Fourier(16, scale: 0.1).OfLogTemperature();

    /// <summary>The reference implementation's: Fourier features of width 16 and scale 100 of lambda(T), then Linear and ReLU.</summary>
    public static TemperatureEmbedding Reference() => Fourier(16, scale: 100).OfLambda();

    /// <summary>No temperature embedding.</summary>
    public static TemperatureEmbedding None { get; } = new(TemperatureEmbeddingKind.None, 0, 0, TemperatureInput.Lambda, 0, Activation.ReLU);

    /// <summary>The kind.</summary>
    public TemperatureEmbeddingKind Kind { get; init; }

    /// <summary>Width of the embedding (even for Fourier features).</summary>
    public int Dimension { get; init; }

    /// <summary>Standard deviation of the Fourier frequencies (reference 100; 0.1-0.3 keeps codes of nearby temperatures close).</summary>
    public double Scale { get; init; }

    /// <summary>The function of temperature embedded.</summary>
    public TemperatureInput Input { get; init; }

    /// <summary>Seed of the random Fourier frequencies.</summary>
    public int Seed { get; init; }

    /// <summary>Activation after the embedding's linear layer(s).</summary>
    public Activation Activation { get; init; }

    /// <summary>Gaussian random Fourier features of the temperature input, then Linear(dimension, dimension) and an activation.</summary>
    /// <param name="dimension">Embedding width, even and at least 2 (reference 16).</param>
    /// <param name="scale">Standard deviation of the frequencies (0.1 smooth, the default; the reference's 100).</param>
    /// <param name="seed">Seed of the frequencies.</param>
    public static TemperatureEmbedding Fourier(int dimension = 16, double scale = 0.1, int seed = 0) =>
        Validated(new TemperatureEmbedding(TemperatureEmbeddingKind.Fourier, dimension, scale, TemperatureInput.LogTemperature, seed, Activation.ReLU));

    /// <summary>A learned embedding: Linear(1, dimension), activation, Linear(dimension, dimension), activation.</summary>
    /// <param name="dimension">Embedding width (at least 1).</param>
    public static TemperatureEmbedding Learned(int dimension = 16) =>
        Validated(new TemperatureEmbedding(TemperatureEmbeddingKind.Learned, dimension, 0, TemperatureInput.LogTemperature, 0, Activation.SiLU));

    /// <summary>
    /// Throws <see cref="ArgumentException"/>, naming the setting, unless the embedding is valid. Every model builder
    /// and model file runs it, so an embedding changed with a <c>with</c> expression is checked before it is used.
    /// </summary>
    public void Validate()
    {
        Require.Defined(Kind, nameof(Kind), "use TemperatureEmbedding.Fourier(), Learned() or None");
        Require.Defined(Input, nameof(Input), "use OfTemperature(), OfLogTemperature(), OfInverseTemperature() or OfLambda()");
        Require.Defined(Activation, nameof(Activation), "use one of the Activation values");
        switch (Kind)
        {
            case TemperatureEmbeddingKind.Fourier:
                Require.That(Dimension >= 2 && Dimension % 2 == 0, nameof(Dimension), Dimension, "must be even and at least 2 (Fourier features come in sine/cosine pairs)", "use an even width such as 16");
                Require.Positive(Scale, nameof(Scale), "use a positive frequency scale such as 0.1 (smooth) or 100 (the reference)");
                break;
            case TemperatureEmbeddingKind.Learned:
                Require.AtLeast(Dimension, 1, nameof(Dimension), "use a width such as 16");
                break;
            default:
                Require.That(Dimension == 0, nameof(Dimension), Dimension, "must be 0 without an embedding", "use TemperatureEmbedding.None as it is");
                break;
        }
    }

    /// <summary>Embeds k_B T.</summary>
    public TemperatureEmbedding OfTemperature() => this with { Input = TemperatureInput.Temperature };

    /// <summary>Embeds log k_B T.</summary>
    public TemperatureEmbedding OfLogTemperature() => this with { Input = TemperatureInput.LogTemperature };

    /// <summary>Embeds 1 / k_B T.</summary>
    public TemperatureEmbedding OfInverseTemperature() => this with { Input = TemperatureInput.InverseTemperature };

    /// <summary>Embeds the noise scale lambda(T) (the reference).</summary>
    public TemperatureEmbedding OfLambda() => this with { Input = TemperatureInput.Lambda };

    /// <summary>Uses <paramref name="activation"/> after the embedding's linear layers.</summary>
    /// <param name="activation">The activation.</param>
    public TemperatureEmbedding WithActivation(Activation activation) => this with { Activation = activation };

    private static TemperatureEmbedding Validated(TemperatureEmbedding embedding)
    {
        embedding.Validate();
        return embedding;
    }

    /// <summary>The scalar the embedding sees for temperature <paramref name="temperature"/> with noise scale <paramref name="lambda"/>.</summary>
    /// <param name="temperature">k_B T.</param>
    /// <param name="lambda">lambda(T).</param>
    public double InputValue(double temperature, double lambda) => Input switch
    {
        TemperatureInput.Temperature => temperature,
        TemperatureInput.LogTemperature => Math.Log(temperature),
        TemperatureInput.InverseTemperature => 1 / temperature,
        _ => lambda,
    };
}
