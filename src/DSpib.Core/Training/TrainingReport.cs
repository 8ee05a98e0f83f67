using DSpib.Data;
using DSpib.Internal;

namespace DSpib.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>: history, refinements and the states found.</summary>
public sealed class TrainingReport
{
    internal TrainingReport(
        IReadOnlyList<EpochSummary> history,
        IReadOnlyList<RefinementRecord> refinements,
        StateLabels finalLabels,
        IReadOnlyList<double> statePopulations,
        TimeLaggedPairs pairs,
        DataSplit split,
        TrainingStopReason stopReason,
        TimeSpan elapsed,
        CollectiveVariablePriorFitReport? collectiveVariablePrior)
    {
        CollectiveVariablePrior = collectiveVariablePrior;
        History = history;
        Refinements = refinements;
        FinalLabels = finalLabels;
        StatePopulations = statePopulations;
        Pairs = pairs;
        Split = split;
        StopReason = stopReason;
        Elapsed = elapsed;
    }

    /// <summary>One entry per epoch.</summary>
    public IReadOnlyList<EpochSummary> History { get; }

    /// <summary>Every relabelling, including the final one.</summary>
    public IReadOnlyList<RefinementRecord> Refinements { get; }

    /// <summary>The state the trained model assigns to every frame of the training data.</summary>
    public StateLabels FinalLabels { get; }

    /// <summary>Number of metastable states found.</summary>
    public int StateCount => StatePopulations.Count;

    /// <summary>Weighted fraction of all frames in each state (sums to 1).</summary>
    public IReadOnlyList<double> StatePopulations { get; }

    /// <summary>The time-lagged pairs trained on (frame indices refer to the concatenated trajectories).</summary>
    public TimeLaggedPairs Pairs { get; }

    /// <summary>The split of <see cref="Pairs"/> into training, test and validation parts.</summary>
    public DataSplit Split { get; }

    /// <summary>Why training ended.</summary>
    public TrainingStopReason StopReason { get; }

    /// <summary>Whether training was cancelled (the model is still consistent and usable).</summary>
    public bool WasCancelled => StopReason == TrainingStopReason.Cancelled;

    /// <summary>
    /// The descriptors of the input frames of the validation pairs, which training held out from both optimisation and
    /// monitoring, in the split's order: the frames to evaluate a trained model on.
    /// </summary>
    /// <param name="data">The trajectories the model was trained on.</param>
    /// <param name="count">At most this many (default all).</param>
    /// <returns>Frames x descriptors.</returns>
    public double[,] ValidationFrames(TrajectorySet data, int? count = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.TotalFrames != Pairs.FrameCount)
        {
            throw new ArgumentException($"The data have {data.TotalFrames} frames but the training data had {Pairs.FrameCount}; pass the trajectories the model was trained on.", nameof(data));
        }

        if (count is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The count cannot be negative.");
        }

        var pairs = Split.Validation.Take(count ?? int.MaxValue).ToArray();
        var frames = data.ConcatenatedFrames();
        var width = data.FeatureCount;
        var result = new double[pairs.Length, width];
        for (var i = 0; i < pairs.Length; i++)
        {
            frames.AsSpan(Pairs.InputFrame[pairs[i]] * width, width).CopyTo(ArrayViews.AsSpan(result).Slice(i * width, width));
        }

        return result;
    }

    /// <summary>
    /// How the collective-variable prior was fitted; <see langword="null"/> when none was (SPIB baseline,
    /// <c>WithCollectiveVariablePrior(0)</c>, or training cancelled or diverged before it).
    /// </summary>
    public CollectiveVariablePriorFitReport? CollectiveVariablePrior { get; }

    /// <summary>Wall-clock training time, fitting the collective-variable prior included.</summary>
    public TimeSpan Elapsed { get; }
}
