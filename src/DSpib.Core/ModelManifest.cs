using System.Text.Json.Serialization;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Networks;

namespace DSpib;

// The JSON documents of model files (and the model part of checkpoints). They are their own types, not the public
// ones, so that renaming a public member never silently changes the file format.

/// <summary>The manifest of a model file.</summary>
internal sealed record ModelManifest(
    string Format,
    int FormatVersion,
    string LibraryVersion,
    ModelDescription Model,
    NetworkDescription Network,
    TrainingOutcomeDescription Training,
    IReadOnlyDictionary<string, string> Entries);

/// <summary>The builder settings of a model (everything <see cref="ModelOptions"/> holds).</summary>
internal sealed record ModelDescription(
    int InputDimension,
    int LatentDimension,
    EncoderDescription Encoder,
    DecoderDescription Decoder,
    LatentPrior Prior,
    int Seed,
    SdeDescription? Sde,
    ScoreNetDescription? ScoreNet);

internal sealed record EncoderDescription(int[] HiddenLayers, Activation Activation, bool InputDependentVariance);

internal sealed record DecoderDescription(int[] HiddenLayers, Activation Activation);

/// <summary>A VP-SDE by its defining parameters: the continuous form's beta range, or the discrete form's steps and betas.</summary>
internal sealed record SdeDescription(
    string Form,
    double? BetaMin,
    double? BetaMax,
    double? SmallestTime,
    int? Steps,
    double? BetaStart,
    double? BetaEnd,
    TemperatureLawDescription TemperatureLaw,
    double? ReferenceTemperature);

/// <summary>A temperature law by name; a custom one's function is not stored and must be supplied when loading.</summary>
internal sealed record TemperatureLawDescription(string Name, bool BuiltIn);

internal sealed record ScoreNetDescription(
    int[] HiddenLayers,
    Activation Activation,
    bool Residual,
    int TimeEmbeddingDimension,
    double TimeEmbeddingScale,
    int Seed,
    TemperatureEmbeddingDescription TemperatureEmbedding);

internal sealed record TemperatureEmbeddingDescription(TemperatureEmbeddingKind Kind, int Dimension, double Scale, TemperatureInput Input, int Seed, Activation Activation);

/// <summary>
/// What the trained network needs beyond the builder settings: the precision its weights were stored in, the fitted
/// standardiser, the shapes label refinement gave it, and the resolved T_ref of the diffusion prior.
/// </summary>
internal sealed record NetworkDescription(
    TensorPrecision Precision,
    StandardizerDescription Standardizer,
    int StateCount,
    int PriorComponents,
    double? DiffusionReferenceTemperature,
    bool HasCollectiveVariablePrior = false);

internal sealed record StandardizerDescription(double[] Mean, double[] Scale);

/// <summary>What training found, kept with a model.</summary>
/// <remarks>The members after <c>Refinements</c> came later; files written before them lack them.</remarks>
internal sealed record TrainingOutcomeDescription(
    double[] StatePopulations,
    RefinementDescription[] Refinements,
    TrainingStopReason? StopReason = null,
    int? Epochs = null,
    double[]? Temperatures = null,
    double[]? LatentMinimum = null,
    double[]? LatentMaximum = null);

internal sealed record RefinementDescription(int Round, int Epoch, int StatesBefore, int StatesAfter, double ChangedFraction, bool IsFinal);

/// <summary>Source-generated JSON for model manifests: camel case, enums by name, NaN allowed.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ModelManifest))]
internal sealed partial class ModelJson : JsonSerializerContext;
