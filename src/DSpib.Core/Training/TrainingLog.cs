using Microsoft.Extensions.Logging;

namespace DSpib.Training;

internal static partial class TrainingLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Training on {Backend}: {Pairs} pairs (lag {Lag}; {Train} train, {Test} test, {Validation} validation), {States} initial states, temperatures {Temperatures}.")]
    public static partial void Started(ILogger logger, Devices.DeviceBackend backend, int pairs, int lag, int train, int test, int validation, int states, string temperatures);

    [LoggerMessage(EventId = 201, Level = LogLevel.Debug, Message = "Epoch {Epoch}: train loss {TrainLoss:F5}, test loss {TestLoss:F5}, {States} states.")]
    public static partial void Epoch(ILogger logger, int epoch, double trainLoss, double testLoss, int states);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Refinement {Round} after epoch {Epoch}: {Before} -> {After} states, {Changed:P1} of pairs relabelled.")]
    public static partial void Refined(ILogger logger, int round, int epoch, int before, int after, double changed);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Training finished ({Reason}) after {Epochs} epochs in {Seconds:F1} s with {States} states.")]
    public static partial void Finished(ILogger logger, TrainingStopReason reason, int epochs, double seconds, int states);

    [LoggerMessage(EventId = 204, Level = LogLevel.Warning, Message = "The epoch cap of {MaxEpochs} was reached before the last refinement converged; raise it with WithMaxEpochs for a converged model.")]
    public static partial void EpochLimitReached(ILogger logger, int maxEpochs);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Resuming from the checkpoint {Path} after epoch {Epoch} ({Phase} phase).")]
    public static partial void Resumed(ILogger logger, string path, int epoch, TrainingPhase phase);

    [LoggerMessage(EventId = 207, Level = LogLevel.Warning, Message = "{Dropped} of the {States} initial states label only frames within the first {Lag} frames of a trajectory, which no time-lagged pair leads to; they are left out.")]
    public static partial void StatesWithoutPairs(ILogger logger, int dropped, int states, int lag);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Training diverged at epoch {Epoch}, step {Step} (loss {Loss}); the epoch is trained again from its start with the learning rate lowered to {LearningRate} ({RetriesLeft} retries left).")]
    public static partial void RetryingDivergedEpoch(ILogger logger, int epoch, int step, double loss, double learningRate, int retriesLeft);

    [LoggerMessage(EventId = 209, Level = LogLevel.Error, Message = "{Description}")]
    public static partial void Diverged(ILogger logger, string description);

    [LoggerMessage(EventId = 210, Level = LogLevel.Debug, Message = "Collective-variable prior, epoch {Epoch}: test loss {TestLoss:F5}.")]
    public static partial void CollectiveVariablePriorEpoch(ILogger logger, int epoch, double testLoss);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Collective-variable prior fitted in {Epochs} epochs: test loss {Initial:F5} with the joint prior's weights, {Best:F5} kept.")]
    public static partial void CollectiveVariablePriorFitted(ILogger logger, int epochs, double initial, double best);

    [LoggerMessage(EventId = 206, Level = LogLevel.Debug, Message = "Checkpoint written to {Path} after epoch {Epoch}.")]
    public static partial void CheckpointWritten(ILogger logger, string path, int epoch);
}
