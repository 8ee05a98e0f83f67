using System.Text.Json.Serialization;
using DSpib.Diffusion;

namespace DSpib.Training;

// The JSON document of training checkpoints: the model's description (as in model files) and the state of the run.

/// <summary>The manifest of a training checkpoint: the network being trained and the state of the run.</summary>
internal sealed record CheckpointManifest(
    string Format,
    int FormatVersion,
    string LibraryVersion,
    ModelDescription Model,
    NetworkDescription Network,
    RunDescription Run,
    IReadOnlyDictionary<string, string> Entries);

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
    double ScoreAveraging = 0,
    int? MaxJointEpochs = null);

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

/// <summary>Source-generated JSON for checkpoint manifests: camel case, enums by name, NaN allowed (losses can be NaN).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    WriteIndented = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CheckpointManifest))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
