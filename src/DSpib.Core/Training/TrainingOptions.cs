using DSpib.Diffusion;
using DSpib.Internal;

namespace DSpib.Training;

/// <summary>
/// The settings of a <see cref="Trainer"/>: an immutable value whose defaults are the reference hyperparameters
/// (with a lag of one frame). <see cref="TrainerBuilder"/> sets them fluently, or <c>with</c> expressions on
/// <see cref="Reference"/>; <see cref="Validate"/> checks them, and <see cref="TrainerBuilder.Build"/> runs it.
/// </summary>
public sealed record TrainingOptions
{
    /// <summary>The reference hyperparameters with a lag of one frame.</summary>
    public static TrainingOptions Reference { get; } = new();

    /// <summary>Lag time in frames between a frame and the future state it predicts (default 1).</summary>
    public int Lag { get; init; } = 1;

    /// <summary>Pairs per optimisation step (default 512).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Adam learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Weight of the information bottleneck (KL) term (default 1e-5).</summary>
    public double Beta { get; init; } = 1e-5;

    /// <summary>An epoch counts as unchanged when its mean training loss moved by less than this (default 1e-3).</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Labels are refined (or the phase ends) after more than this many unchanged epochs in a row (default 5).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>Number of label refinement rounds; a final relabel follows the last (default 10).</summary>
    public int Refinements { get; init; } = 10;

    /// <summary>Cap on the epochs of the SPIB phase (default 1000); the phase ends, and training goes on, when it is reached.</summary>
    public int MaxEpochs { get; init; } = 1000;

    /// <summary>Cap on the epochs of the joint D-SPIB phase, in either schedule (default 1000).</summary>
    public int MaxJointEpochs { get; init; } = 1000;

    /// <summary>Fraction of pairs used for training (default 0.6).</summary>
    public double TrainFraction { get; init; } = 0.6;

    /// <summary>Fraction of pairs used to monitor the loss (default 0.2); the rest is held out for validation.</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Seed of the split, the batch order and the latent noise (default 42).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>
    /// The joint D-SPIB phase ends after more than this many unchanged epochs in a row: the loss steady within the
    /// tolerance and the diffusion loss no more than the tolerance below its best so far (default 150).
    /// </summary>
    public int JointPatience { get; init; } = 150;

    /// <summary>Noise draws (t, eps) per latent sample in the diffusion term (M; default 16).</summary>
    public int NoiseDraws { get; init; } = 16;

    /// <summary>How the diffusion term weights times: uniform (the reference, default) or likelihood-weighted.</summary>
    public DiffusionWeighting Weighting { get; init; } = DiffusionWeighting.Unweighted;

    /// <summary>How a model with a diffusion prior is trained (default: the reference's two phases).</summary>
    public TrainingSchedule Schedule { get; init; } = TrainingSchedule.TwoPhase;

    /// <summary>
    /// Decay of the exponential moving average of the score network's weights over the joint phase's steps, which the
    /// model keeps when the phase ends; 0 (the default, the reference) keeps the last step's weights.
    /// </summary>
    public double ScoreAveraging { get; init; }

    /// <summary>
    /// How often a diverged epoch (a step whose loss or gradient is NaN or infinite) is trained again from its start
    /// with a lower learning rate before training stops with <see cref="TrainingDivergedException"/> (default 0: stop at
    /// the first).
    /// </summary>
    public int DivergenceRetries { get; init; }

    /// <summary>What each retry multiplies the learning rate by (default 0.1).</summary>
    public double DivergenceLearningRateFactor { get; init; } = 0.1;

    /// <summary>
    /// Cap on the epochs of fitting the collective-variable prior of a model with a diffusion prior (see
    /// <see cref="DSpibModel.CollectiveVariableDiffusion"/>), after the other phases, on the encoder means; 0 fits none
    /// (default 200).
    /// </summary>
    public int CollectiveVariablePriorEpochs { get; init; } = 200;

    /// <summary>Fitting the collective-variable prior stops after this many epochs in a row without a better test loss (default 10).</summary>
    public int CollectiveVariablePriorPatience { get; init; } = 10;

    /// <summary>Throws <see cref="ArgumentException"/>, naming the setting and how to set it, unless the options are valid.</summary>
    public void Validate()
    {
        Require.AtLeast(Lag, 1, nameof(Lag), "set it with WithLag");
        Require.AtLeast(BatchSize, 1, nameof(BatchSize), "set it with WithBatchSize");
        Require.Positive(LearningRate, nameof(LearningRate), "set it with WithLearningRate (1e-3 is the reference)");
        Require.NonNegative(Beta, nameof(Beta), "set it with WithBeta (1e-5 is the reference; 1e-3 to 1e-2 for strongly compressed representations)");
        Require.Positive(Tolerance, nameof(Tolerance), "set it with WithRefinement");
        Require.AtLeast(Patience, 0, nameof(Patience), "set it with WithRefinement");
        Require.AtLeast(Refinements, 0, nameof(Refinements), "set it with WithRefinement");
        Require.AtLeast(MaxEpochs, 1, nameof(MaxEpochs), "set it with WithMaxEpochs");
        Require.AtLeast(MaxJointEpochs, 1, nameof(MaxJointEpochs), "set it with WithMaxEpochs");
        Require.InRange(TrainFraction, 0, false, 1, true, nameof(TrainFraction), "set it with WithSplit");
        Require.InRange(TestFraction, 0, true, 1 - TrainFraction + 1e-12, true, nameof(TestFraction), "set it with WithSplit so that the training and test fractions add up to at most 1");
        Require.AtLeast(JointPatience, 0, nameof(JointPatience), "set it with WithJointTraining");
        Require.AtLeast(NoiseDraws, 1, nameof(NoiseDraws), "set it with WithJointTraining");
        Require.Defined(Weighting, nameof(Weighting), "set it with WithJointTraining");
        Require.Defined(Schedule, nameof(Schedule), "set it with WithSchedule");
        Require.That(ScoreAveraging == 0 || (ScoreAveraging > 0 && ScoreAveraging < 1), nameof(ScoreAveraging), ScoreAveraging, "must be 0 (off) or in (0, 1)", "set it with WithScoreAveraging; 0.999 averages over about the last 1,000 steps");
        Require.AtLeast(CollectiveVariablePriorEpochs, 0, nameof(CollectiveVariablePriorEpochs), "set it with WithCollectiveVariablePrior (0 fits none)");
        Require.AtLeast(CollectiveVariablePriorPatience, 1, nameof(CollectiveVariablePriorPatience), "set it with WithCollectiveVariablePrior");
        Require.AtLeast(DivergenceRetries, 0, nameof(DivergenceRetries), "set it with WithDivergenceRecovery");
        Require.InRange(DivergenceLearningRateFactor, 0, false, 1, false, nameof(DivergenceLearningRateFactor), "set it with WithDivergenceRecovery; 0.1 is usual");
    }

    /// <summary>The epoch cap of a phase.</summary>
    internal int MaxEpochsOf(TrainingPhase phase) => phase == TrainingPhase.Joint ? MaxJointEpochs : MaxEpochs;
}
