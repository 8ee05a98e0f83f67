namespace DSpib.Training;

/// <summary>Where and how often a <see cref="Trainer"/> writes a training checkpoint (set with <see cref="TrainerBuilder.WithCheckpoints"/>).</summary>
/// <param name="Path">The checkpoint file, replaced atomically at every checkpoint.</param>
/// <param name="EveryEpochs">A checkpoint is written after every epoch whose number (over the whole run) is a multiple of this.</param>
public sealed record CheckpointOptions(string Path, int EveryEpochs);
