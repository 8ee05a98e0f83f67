using DSpib.Diffusion;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DSpib.Training;

/// <summary>
/// Fluent builder of a <see cref="Trainer"/>. Start with <see cref="Trainer.Create"/>; defaults are the reference
/// hyperparameters (<see cref="TrainingOptions.Reference"/>). Every method records settings of
/// <see cref="TrainingOptions"/>; like every builder of the library, <see cref="Build"/> validates them all at once (the
/// exception names the setting and how to fix it) and may be called again, each time creating a new trainer.
/// </summary>
public sealed class TrainerBuilder
{
    private TrainingOptions _options = TrainingOptions.Reference;
    private ILogger _logger = NullLogger.Instance;
    private CheckpointOptions? _checkpoints;

    internal TrainerBuilder()
    {
    }

    /// <summary>Lag time in frames between a frame and the future state it predicts (default 1).</summary>
    /// <param name="frames">At least 1, and shorter than every trajectory.</param>
    public TrainerBuilder WithLag(int frames) => With(_options with { Lag = frames });

    /// <summary>Pairs per optimisation step (default 512).</summary>
    /// <param name="pairs">At least 1.</param>
    public TrainerBuilder WithBatchSize(int pairs) => With(_options with { BatchSize = pairs });

    /// <summary>Adam learning rate (default 1e-3).</summary>
    /// <param name="rate">Positive and finite.</param>
    public TrainerBuilder WithLearningRate(double rate) => With(_options with { LearningRate = rate });

    /// <summary>Weight of the information bottleneck term (default 1e-5).</summary>
    /// <param name="beta">Non-negative and finite.</param>
    public TrainerBuilder WithBeta(double beta) => With(_options with { Beta = beta });

    /// <summary>SPIB label refinement: rounds, and the convergence test that triggers each round.</summary>
    /// <param name="refinements">Number of refinement rounds (default 10; 0 trains on the initial labels and relabels once at the end).</param>
    /// <param name="patience">Refine after more than this many unchanged epochs in a row (default 5).</param>
    /// <param name="tolerance">An epoch is unchanged when its mean training loss moved by less than this (default 1e-3).</param>
    public TrainerBuilder WithRefinement(int refinements = 10, int patience = 5, double tolerance = 1e-3) =>
        With(_options with { Refinements = refinements, Patience = patience, Tolerance = tolerance });

    /// <summary>The joint D-SPIB phase of models with a diffusion prior (reference: patience 150, 16 noise draws).</summary>
    /// <param name="patience">
    /// End the phase after more than this many epochs in a row whose mean training loss moved by less than the
    /// tolerance and whose diffusion loss did not beat the best so far by more than the tolerance (the diffusion term
    /// enters the loss scaled by beta, so the loss alone would stop as soon as the cross-entropy settles, with the prior
    /// still learning).
    /// </param>
    /// <param name="noiseDraws">Noise draws (t, eps) per latent sample in the diffusion term.</param>
    /// <param name="weighting">Uniform times (the reference) or likelihood-weighted, importance-sampled times.</param>
    public TrainerBuilder WithJointTraining(int patience = 150, int noiseDraws = 16, DiffusionWeighting weighting = DiffusionWeighting.Unweighted) =>
        With(_options with { JointPatience = patience, NoiseDraws = noiseDraws, Weighting = weighting });

    /// <summary>
    /// Keeps an exponential moving average of the score network's weights over the joint phase's optimisation steps
    /// and gives the model the averaged weights when the phase ends. The denoising loss is noisy, so the last step's
    /// score wanders from step to step; generated samples and exact free energies, which integrate the score, inherit
    /// that wander. Off by default (the reference keeps the last step's weights).
    /// </summary>
    /// <param name="decay">The average's decay per step, in (0, 1); 0.999 averages over about the last 1,000 steps.</param>
    public TrainerBuilder WithScoreAveraging(double decay = 0.999) => With(_options with { ScoreAveraging = decay });

    /// <summary>
    /// The collective-variable prior of models with a diffusion prior: the temperature-conditioned distribution of the
    /// encoder means mu(X), the variable <see cref="DSpibModel.Encode(double[,])"/> returns, fitted after the other
    /// phases by denoising score matching on the training pairs' means, starting from the joint prior's weights (see
    /// <see cref="DSpibModel.CollectiveVariableDiffusion"/>). On by default.
    /// </summary>
    /// <param name="maxEpochs">Cap on its epochs (default 200); 0 fits none, and the model then generates only the bottleneck's latent samples.</param>
    /// <param name="patience">Stop after this many epochs in a row without a better test loss (default 10); the best epoch's weights are kept.</param>
    public TrainerBuilder WithCollectiveVariablePrior(int maxEpochs = 200, int patience = 10) =>
        With(_options with { CollectiveVariablePriorEpochs = maxEpochs, CollectiveVariablePriorPatience = patience });

    /// <summary>How a model with a diffusion prior is trained (default: the reference's two phases).</summary>
    /// <param name="schedule">The schedule.</param>
    public TrainerBuilder WithSchedule(TrainingSchedule schedule) => With(_options with { Schedule = schedule });

    /// <summary>Cap on the number of epochs of every phase (default 1000).</summary>
    /// <param name="epochs">At least 1.</param>
    public TrainerBuilder WithMaxEpochs(int epochs) => With(_options with { MaxEpochs = epochs, MaxJointEpochs = epochs });

    /// <summary>Caps on the epochs of the SPIB phase and of the joint D-SPIB phase (default 1000 each).</summary>
    /// <param name="spibEpochs">At least 1.</param>
    /// <param name="jointEpochs">At least 1.</param>
    public TrainerBuilder WithMaxEpochs(int spibEpochs, int jointEpochs) => With(_options with { MaxEpochs = spibEpochs, MaxJointEpochs = jointEpochs });

    /// <summary>How pairs are split (default 60 % training, 20 % test, 20 % validation).</summary>
    /// <param name="trainFraction">Fraction used for training, in (0, 1].</param>
    /// <param name="testFraction">Fraction used for monitoring, in [0, 1 - trainFraction]; the rest is validation.</param>
    public TrainerBuilder WithSplit(double trainFraction, double testFraction) => With(_options with { TrainFraction = trainFraction, TestFraction = testFraction });

    /// <summary>Seed of the split, batch order and latent noise (default 42).</summary>
    /// <param name="seed">Any integer.</param>
    public TrainerBuilder WithSeed(int seed) => With(_options with { Seed = seed });

    /// <summary>Takes all settings from <paramref name="options"/> (later calls change them further).</summary>
    /// <param name="options">Complete settings; validated by <see cref="Build"/>.</param>
    public TrainerBuilder WithOptions(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return With(options);
    }

    /// <summary>
    /// Writes a training checkpoint to <paramref name="path"/> after every <paramref name="everyEpochs"/> epochs (default
    /// none): weights, optimizer and generator states, labels, schedule position and history, replaced atomically each
    /// time. Continue an interrupted run from it with <see cref="Trainer.Resume"/>.
    /// </summary>
    /// <param name="path">The checkpoint file; its folder must exist when training starts.</param>
    /// <param name="everyEpochs">Epochs between checkpoints (at least 1).</param>
    public TrainerBuilder WithCheckpoints(string path, int everyEpochs = 10)
    {
        _checkpoints = new CheckpointOptions { Path = path, EveryEpochs = everyEpochs };
        return this;
    }

    /// <summary>
    /// Recovers from divergence (a step whose loss or gradient is NaN or infinite): the epoch is trained again from
    /// its start, parameters and optimizer state restored, with the learning rate multiplied by
    /// <paramref name="learningRateFactor"/>, up to <paramref name="retries"/> times in the run; the lower rate is kept
    /// for the rest of it. Without this (the default), training stops at the first diverged step with
    /// <see cref="TrainingDivergedException"/>.
    /// </summary>
    /// <param name="retries">Diverged epochs to train again (at least 0; 3 by default).</param>
    /// <param name="learningRateFactor">What each retry multiplies the learning rate by, in (0, 1) (default 0.1).</param>
    public TrainerBuilder WithDivergenceRecovery(int retries = 3, double learningRateFactor = 0.1) =>
        With(_options with { DivergenceRetries = retries, DivergenceLearningRateFactor = learningRateFactor });

    /// <summary>Receives training progress messages (default none).</summary>
    /// <param name="logger">The logger.</param>
    public TrainerBuilder WithLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        return this;
    }

    /// <summary>Validates the settings and creates the trainer.</summary>
    /// <exception cref="ArgumentException">A setting is not valid; the exception names it.</exception>
    public Trainer Build()
    {
        _options.Validate();
        _checkpoints?.Validate();
        return new Trainer(_options, _logger, _checkpoints);
    }

    private TrainerBuilder With(TrainingOptions options)
    {
        _options = options;
        return this;
    }
}
