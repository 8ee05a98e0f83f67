using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DSpib.Training;

/// <summary>
/// Fluent builder of a <see cref="Trainer"/>. Start with <see cref="Trainer.Create"/>; defaults are the reference
/// hyperparameters (<see cref="TrainingOptions.Reference"/>). <see cref="Build"/> may be called once.
/// </summary>
public sealed class TrainerBuilder
{
    private TrainingOptions _options = TrainingOptions.Reference;
    private ILogger _logger = NullLogger.Instance;
    private CheckpointOptions? _checkpoints;
    private bool _built;

    internal TrainerBuilder()
    {
    }

    /// <summary>Lag time in frames between a frame and the future state it predicts (default 1).</summary>
    /// <param name="frames">At least 1, and shorter than every trajectory.</param>
    public TrainerBuilder WithLag(int frames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frames, 1);
        _options = _options with { Lag = frames };
        return this;
    }

    /// <summary>Pairs per optimisation step (default 512).</summary>
    /// <param name="pairs">At least 1.</param>
    public TrainerBuilder WithBatchSize(int pairs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        _options = _options with { BatchSize = pairs };
        return this;
    }

    /// <summary>Adam learning rate (default 1e-3).</summary>
    /// <param name="rate">Positive and finite.</param>
    public TrainerBuilder WithLearningRate(double rate)
    {
        EnsurePositive(rate, nameof(rate));
        _options = _options with { LearningRate = rate };
        return this;
    }

    /// <summary>Weight of the information bottleneck term (default 1e-5).</summary>
    /// <param name="beta">Non-negative and finite.</param>
    public TrainerBuilder WithBeta(double beta)
    {
        if (!double.IsFinite(beta) || beta < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(beta), beta, "Beta must be a non-negative finite number (reference 1e-5; 1e-3 to 1e-2 for strongly compressed representations).");
        }

        _options = _options with { Beta = beta };
        return this;
    }

    /// <summary>SPIB label refinement: rounds, and the convergence test that triggers each round.</summary>
    /// <param name="refinements">Number of refinement rounds (default 10; 0 trains on the initial labels and relabels once at the end).</param>
    /// <param name="patience">Refine after more than this many unchanged epochs in a row (default 5).</param>
    /// <param name="tolerance">An epoch is unchanged when its mean training loss moved by less than this (default 1e-3).</param>
    public TrainerBuilder WithRefinement(int refinements = 10, int patience = 5, double tolerance = 1e-3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(refinements);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        EnsurePositive(tolerance, nameof(tolerance));
        _options = _options with { Refinements = refinements, Patience = patience, Tolerance = tolerance };
        return this;
    }

    /// <summary>The joint D-SPIB phase of models with a diffusion prior (reference: patience 150, 16 noise draws).</summary>
    /// <param name="patience">
    /// Stop after more than this many epochs in a row whose mean training loss moved by less than the tolerance and
    /// whose diffusion loss did not beat the best so far by more than the tolerance (the diffusion term enters the
    /// loss scaled by beta, so the loss alone would stop as soon as the cross-entropy settles, with the prior still
    /// learning).
    /// </param>
    /// <param name="noiseDraws">Noise draws (t, eps) per latent sample in the diffusion term.</param>
    /// <param name="weighting">Uniform times (the reference) or likelihood-weighted, importance-sampled times.</param>
    public TrainerBuilder WithJointTraining(int patience = 150, int noiseDraws = 16, Diffusion.DiffusionWeighting weighting = Diffusion.DiffusionWeighting.Unweighted)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfLessThan(noiseDraws, 1);
        if (!Enum.IsDefined(weighting))
        {
            throw new ArgumentOutOfRangeException(nameof(weighting), weighting, "Unknown weighting.");
        }

        _options = _options with { JointPatience = patience, NoiseDraws = noiseDraws, Weighting = weighting };
        return this;
    }

    /// <summary>
    /// Keeps an exponential moving average of the score network's weights over the joint phase's optimisation steps
    /// and gives the model the averaged weights when the phase ends. The denoising loss is noisy, so the last step's
    /// score wanders from step to step; generated samples and exact free energies, which integrate the score, inherit
    /// that wander. Off by default (the reference keeps the last step's weights).
    /// </summary>
    /// <param name="decay">The average's decay per step, in (0, 1); 0.999 averages over about the last 1,000 steps.</param>
    public TrainerBuilder WithScoreAveraging(double decay = 0.999)
    {
        if (!(decay > 0 && decay < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The averaging decay must be in (0, 1); 0.999 averages over about the last 1,000 steps.");
        }

        _options = _options with { ScoreAveraging = decay };
        return this;
    }

    /// <summary>How a model with a diffusion prior is trained (default: the reference's two phases).</summary>
    /// <param name="schedule">The schedule.</param>
    public TrainerBuilder WithSchedule(TrainingSchedule schedule)
    {
        if (!Enum.IsDefined(schedule))
        {
            throw new ArgumentOutOfRangeException(nameof(schedule), schedule, "Unknown schedule.");
        }

        _options = _options with { Schedule = schedule };
        return this;
    }

    /// <summary>Cap on the number of epochs of each phase (default 1000).</summary>
    /// <param name="epochs">At least 1.</param>
    public TrainerBuilder WithMaxEpochs(int epochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epochs, 1);
        _options = _options with { MaxEpochs = epochs };
        return this;
    }

    /// <summary>How pairs are split (default 60 % training, 20 % test, 20 % validation).</summary>
    /// <param name="trainFraction">Fraction used for training, in (0, 1].</param>
    /// <param name="testFraction">Fraction used for monitoring, in [0, 1 - trainFraction]; the rest is validation.</param>
    public TrainerBuilder WithSplit(double trainFraction, double testFraction)
    {
        Data.DataSplit.EnsureFractions(trainFraction, testFraction);
        _options = _options with { TrainFraction = trainFraction, TestFraction = testFraction };
        return this;
    }

    /// <summary>Seed of the split, batch order and latent noise (default 42).</summary>
    /// <param name="seed">Any integer.</param>
    public TrainerBuilder WithSeed(int seed)
    {
        _options = _options with { Seed = seed };
        return this;
    }

    /// <summary>Takes all settings from <paramref name="options"/>.</summary>
    /// <param name="options">Complete settings; validated by <see cref="Build"/>.</param>
    public TrainerBuilder WithOptions(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        return this;
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
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyEpochs, 1);
        _checkpoints = new CheckpointOptions(path, everyEpochs);
        return this;
    }

    /// <summary>Receives training progress messages (default none).</summary>
    /// <param name="logger">The logger.</param>
    public TrainerBuilder WithLogger(ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        _logger = logger;
        return this;
    }

    /// <summary>Validates the settings and creates the trainer.</summary>
    public Trainer Build()
    {
        if (_built)
        {
            throw new InvalidOperationException("This builder has already built a trainer; start a new one with Trainer.Create().");
        }

        Validate(_options);
        _built = true;
        return new Trainer(_options, _logger, _checkpoints);
    }

    private static void Validate(TrainingOptions options)
    {
        var name = nameof(TrainingOptions);
        if (options.Lag < 1 || options.BatchSize < 1 || options.MaxEpochs < 1 || options.Patience < 0 || options.Refinements < 0 || options.JointPatience < 0 || options.NoiseDraws < 1)
        {
            throw new ArgumentOutOfRangeException(name, options, "Lag, BatchSize, MaxEpochs and NoiseDraws must be at least 1; Patience, JointPatience and Refinements non-negative.");
        }

        if (!(options.LearningRate > 0) || !double.IsFinite(options.LearningRate) || !(options.Tolerance > 0) || !(options.Beta >= 0) || !double.IsFinite(options.Beta))
        {
            throw new ArgumentOutOfRangeException(name, options, "LearningRate and Tolerance must be positive; Beta non-negative and finite.");
        }

        if (!(options.TrainFraction > 0 && options.TrainFraction <= 1 && options.TestFraction >= 0 && options.TrainFraction + options.TestFraction <= 1 + 1e-12))
        {
            throw new ArgumentOutOfRangeException(name, options, "TrainFraction must be in (0, 1] and TestFraction in [0, 1 - TrainFraction].");
        }
    }

    private static void EnsurePositive(double value, string argumentName)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(argumentName, value, "Must be positive and finite.");
        }
    }
}
