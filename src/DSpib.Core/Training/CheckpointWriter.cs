using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// Writes a run's checkpoints when they are due: at the end of an epoch, everything the next one depends on, including
/// both generators' states, so that resuming continues the same sequence of batches and noise draws.
/// </summary>
internal sealed class CheckpointWriter(CheckpointOptions options, ModelOptions modelOptions, DataFingerprint data)
{
    public string Path => options.Path;

    /// <summary>Whether a checkpoint is due after <paramref name="epochs"/> epochs of the whole run.</summary>
    public bool IsDue(int epochs) => epochs % options.EveryEpochs == 0;

    /// <summary>Writes the checkpoint of a run at the end of an epoch.</summary>
    public void Write(TrainingOptions trainingOptions, RunState state, ModelNetwork network, FlatAdam optimizer, Generator initGenerator, Generator generator, Tensor labels, ParameterAverage? scoreAverage)
    {
        var run = new RunDescription(
            TrainingCheckpoint.Describe(trainingOptions),
            data,
            network.Backend.Device.type.ToString(),
            state.Stage,
            state.Phase,
            state.PhaseEpochs,
            state.Rule.Round,
            state.Rule.Unchanged,
            state.Rule.PreviousLoss,
            optimizer.StepCount,
            state.Elapsed.Ticks,
            state.History.Select(TrainingCheckpoint.Describe).ToArray(),
            state.Refinements.Select(ModelFile.ToDescription).ToArray(),
            state.Rule.BestDiffusion);
        TrainingCheckpoint.Write(options.Path, modelOptions, network, run, optimizer, initGenerator, generator, labels, scoreAverage);
    }
}

/// <summary>Where a run is: what a checkpoint records of it.</summary>
internal sealed record RunState(int Stage, TrainingPhase Phase, int PhaseEpochs, ConvergenceRule Rule, TimeSpan Elapsed, IReadOnlyList<EpochSummary> History, IReadOnlyList<RefinementRecord> Refinements);
