using DSpib.Internal;

namespace DSpib.Training;

/// <summary>Where and how often a <see cref="Trainer"/> writes a training checkpoint (set with <see cref="TrainerBuilder.WithCheckpoints"/>).</summary>
public sealed record CheckpointOptions
{
    /// <summary>The checkpoint file, replaced atomically at every checkpoint; its folder must exist when training starts.</summary>
    public required string Path { get; init; }

    /// <summary>A checkpoint is written after every epoch whose number (over the whole run) is a multiple of this (default 10).</summary>
    public int EveryEpochs { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/>, naming the setting, unless the options are valid.</summary>
    public void Validate()
    {
        Require.That(!string.IsNullOrWhiteSpace(Path), nameof(Path), Path, "must name a file", "give the checkpoint's path in WithCheckpoints");
        Require.AtLeast(EveryEpochs, 1, nameof(EveryEpochs), "set it with WithCheckpoints");
    }
}
