using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Spib;
using DSpib.Training;

namespace DSpib.Persistence;

// The JSON documents of model files and checkpoints. They are their own types, not the public ones, so that renaming
// a public member never silently changes the file format.

/// <summary>The manifest of a model file.</summary>
internal sealed record ModelManifest(
    string Format,
    int FormatVersion,
    string LibraryVersion,
    ModelDescription Model,
    NetworkDescription Network,
    TrainingOutcomeDescription Training,
    IReadOnlyDictionary<string, string> Entries);

/// <summary>The manifest of a training checkpoint: the network being trained and the state of the run.</summary>
internal sealed record CheckpointManifest(
    string Format,
    int FormatVersion,
    string LibraryVersion,
    ModelDescription Model,
    NetworkDescription Network,
    RunDescription Run,
    IReadOnlyDictionary<string, string> Entries);

/// <summary>The builder settings of a model (everything <see cref="ModelConfiguration"/> holds).</summary>
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
    double? DiffusionReferenceTemperature);

internal sealed record StandardizerDescription(double[] Mean, double[] Scale);

/// <summary>What training found, kept with a model.</summary>
internal sealed record TrainingOutcomeDescription(double[] StatePopulations, RefinementDescription[] Refinements);

internal sealed record RefinementDescription(int Round, int Epoch, int StatesBefore, int StatesAfter, double ChangedFraction, bool IsFinal);

/// <summary>
/// The state of a training run at the end of an epoch: settings and data it belongs to, where it is in its schedule
/// (stage, epochs of the phase, refinement round, convergence counters), the optimizer's step count, and its history.
/// </summary>
internal sealed record RunDescription(
    TrainingOptionsDescription Options,
    DataFingerprint Data,
    string DeviceType,
    int Stage,
    TrainingPhase Phase,
    int PhaseEpochs,
    int Round,
    int Unchanged,
    double PreviousLoss,
    long OptimizerSteps,
    long ElapsedTicks,
    EpochDescription[] History,
    RefinementDescription[] Refinements,
    double BestDiffusion = double.NaN);

internal sealed record TrainingOptionsDescription(
    int Lag,
    int BatchSize,
    double LearningRate,
    double Beta,
    double Tolerance,
    int Patience,
    int Refinements,
    int MaxEpochs,
    double TrainFraction,
    double TestFraction,
    int Seed,
    int JointPatience,
    int NoiseDraws,
    DiffusionWeighting Weighting,
    TrainingSchedule Schedule,
    double ScoreAveraging = 0);

/// <summary>What a run was trained on: sizes, and SHA-256 hashes of the frames (with weights and temperatures) and of the initial labels.</summary>
internal sealed record DataFingerprint(int Trajectories, int Frames, int Features, int Pairs, int TrainPairs, int TestPairs, string FramesSha256, string LabelsSha256);

internal sealed record EpochDescription(
    TrainingPhase Phase,
    int Epoch,
    int RefinementsDone,
    double TrainLoss,
    double TrainCrossEntropy,
    double TrainKl,
    double TestLoss,
    double TestCrossEntropy,
    double TestKl,
    int StateCount,
    double[] Populations,
    long ElapsedTicks,
    double TrainDiffusionLoss);

/// <summary>Source-generated JSON for the manifests: camel case, enums by name, NaN allowed (losses can be NaN).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ModelManifest))]
[JsonSerializable(typeof(CheckpointManifest))]
internal sealed partial class ManifestJson : JsonSerializerContext
{
    /// <summary>The path of the first value in which two JSON documents differ, or <see langword="null"/> when they agree.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return path;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).Union(actual.EnumerateObject().Select(p => p.Name));
                foreach (var name in names)
                {
                    var hasExpected = expected.TryGetProperty(name, out var left);
                    var hasActual = actual.TryGetProperty(name, out var right);
                    var inner = hasExpected && hasActual ? Difference(left, right, $"{path}.{name}") : $"{path}.{name}";
                    if (inner is not null)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var leftItems = expected.EnumerateArray().ToArray();
                var rightItems = actual.EnumerateArray().ToArray();
                if (leftItems.Length != rightItems.Length)
                {
                    return path;
                }

                for (var i = 0; i < leftItems.Length; i++)
                {
                    if (Difference(leftItems[i], rightItems[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]")) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonElement.DeepEquals(expected, actual) ? null : path;
        }
    }

    /// <summary>Deserialises a manifest whose checksum has been verified; content that does not fit the format is corruption.</summary>
    public static T Parse<T>(VerifiedContainer container, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(container.Manifest, type) ?? throw container.Invalid("its manifest is empty.");
        }
        catch (JsonException e)
        {
            throw container.Invalid($"its manifest does not follow the format ({e.Message}).", e);
        }
    }
}
