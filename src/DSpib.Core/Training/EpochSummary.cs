using DSpib.Internal;

namespace DSpib.Training;

/// <summary>What one training epoch did: reported through <see cref="IProgress{T}"/> and kept in the report's history.</summary>
public sealed record EpochSummary
{
    private ValueList<double> _populations = ValueList<double>.Of([], nameof(Populations));

    /// <summary>The objective optimised.</summary>
    public TrainingPhase Phase { get; init; }

    /// <summary>One-based epoch number over the whole run.</summary>
    public int Epoch { get; init; }

    /// <summary>Label refinement rounds completed before this epoch.</summary>
    public int RefinementsDone { get; init; }

    /// <summary>Weighted mean training loss over the epoch.</summary>
    public double TrainLoss { get; init; }

    /// <summary>Its future-state cross-entropy part.</summary>
    public double TrainCrossEntropy { get; init; }

    /// <summary>Its KL(q || prior) part, before multiplying by beta (in the joint phase: E[log q] plus the diffusion term).</summary>
    public double TrainKl { get; init; }

    /// <summary>The diffusion prior's denoising score-matching term of the training loss (NaN in the SPIB phase).</summary>
    public double TrainDiffusionLoss { get; init; } = double.NaN;

    /// <summary>Weighted mean loss on the test pairs after the epoch (NaN without test pairs).</summary>
    public double TestLoss { get; init; }

    /// <summary>Its cross-entropy part.</summary>
    public double TestCrossEntropy { get; init; }

    /// <summary>Its KL part, before multiplying by beta.</summary>
    public double TestKl { get; init; }

    /// <summary>Number of states the decoder predicts.</summary>
    public int StateCount { get; init; }

    /// <summary>Weighted fraction of training pairs whose future frame carries each state label.</summary>
    public IReadOnlyList<double> Populations
    {
        get => _populations;
        init => _populations = ValueList<double>.Of(value, nameof(Populations));
    }

    /// <summary>Time since training started.</summary>
    public TimeSpan Elapsed { get; init; }
}
