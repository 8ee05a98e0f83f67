using System.Globalization;
using DSpib.Diffusion;
using DSpib.Training;

namespace DSpib.Samples;

/// <summary>
/// The trainer's settings as every sample takes them from the command line (each sample with its own defaults), and
/// the trainer they describe. The initialisation defaults are the reference hyperparameters.
/// </summary>
public sealed record TrainingSettings
{
    /// <summary>Lag in frames between a frame and the future state it predicts.</summary>
    public int Lag { get; init; } = 1;

    /// <summary>Weight of the information bottleneck term (and of the diffusion term).</summary>
    public double Beta { get; init; } = 1e-5;

    /// <summary>Adam learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Pairs per optimisation step.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Label refinement rounds.</summary>
    public int Refinements { get; init; } = 10;

    /// <summary>Unchanged epochs before a refinement (or the end of a phase).</summary>
    public int Patience { get; init; } = 5;

    /// <summary>An epoch counts as unchanged when its training loss moved by less than this.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Patience of the joint D-SPIB phase of the two-phase schedule.</summary>
    public int JointPatience { get; init; } = 150;

    /// <summary>Noise draws per latent sample in the diffusion term.</summary>
    public int NoiseDraws { get; init; } = 16;

    /// <summary>Epoch cap per phase.</summary>
    public int MaxEpochs { get; init; } = 1000;

    /// <summary>Decay of the moving average of the score network's weights over the joint phase (0: off).</summary>
    public double ScoreAveraging { get; init; }

    /// <summary>Epoch cap of the collective-variable prior's fit after training (0: none).</summary>
    public int CollectiveVariablePriorEpochs { get; init; } = 200;

    /// <summary>The usage lines of these options, showing this instance's values as the defaults.</summary>
    public string Usage() => string.Create(CultureInfo.InvariantCulture, $"""
          --lag N                     lag in frames ({Lag})
          --beta X                    information bottleneck weight ({Beta:0.#######})
          --learning-rate X           Adam learning rate ({LearningRate:0.#######})
          --batch N                   batch size ({BatchSize})
          --refinements N             label refinement rounds ({Refinements})
          --patience N                refinement patience ({Patience})
          --tolerance X               loss change below which an epoch counts as unchanged ({Tolerance:0.#######}; reference 0.001)
          --joint-patience N          patience of the two-phase schedule's joint phase ({JointPatience}; reference 150)
          --draws N                   noise draws per latent sample in the diffusion term ({NoiseDraws}; reference 16)
          --max-epochs N              epoch cap per phase ({MaxEpochs})
          --score-averaging X         decay of the score network's weight average over the joint phase ({(ScoreAveraging > 0 ? ScoreAveraging : "0: off")})
          --cv-epochs N               epoch cap of the collective-variable prior, fitted on the encoder means after training ({CollectiveVariablePriorEpochs}; 0: none)
        """);

    /// <summary>Reads these options from <paramref name="line"/>, with <paramref name="defaults"/> for those not given.</summary>
    public static TrainingSettings Parse(CommandLine line, TrainingSettings defaults) =>
        new()
        {
            Lag = line.WholeNumber("--lag", defaults.Lag),
            Beta = line.Number("--beta", defaults.Beta),
            LearningRate = line.Number("--learning-rate", defaults.LearningRate),
            BatchSize = line.WholeNumber("--batch", defaults.BatchSize),
            Refinements = line.WholeNumber("--refinements", defaults.Refinements, minimum: 0),
            Patience = line.WholeNumber("--patience", defaults.Patience, minimum: 0),
            Tolerance = line.Number("--tolerance", defaults.Tolerance),
            JointPatience = line.WholeNumber("--joint-patience", defaults.JointPatience, minimum: 0),
            NoiseDraws = line.WholeNumber("--draws", defaults.NoiseDraws),
            MaxEpochs = line.WholeNumber("--max-epochs", defaults.MaxEpochs),
            ScoreAveraging = line.Fraction("--score-averaging", defaults.ScoreAveraging),
            CollectiveVariablePriorEpochs = line.WholeNumber("--cv-epochs", defaults.CollectiveVariablePriorEpochs, minimum: 0),
        };

    /// <summary>The trainer with these settings, <paramref name="seed"/> and <paramref name="weighting"/>; the caller chooses the schedule.</summary>
    public TrainerBuilder ToTrainer(int seed, DiffusionWeighting weighting = DiffusionWeighting.Unweighted)
    {
        var builder = Trainer.Create()
            .WithLag(Lag).WithBatchSize(BatchSize).WithLearningRate(LearningRate).WithBeta(Beta)
            .WithRefinement(Refinements, Patience, Tolerance)
            .WithJointTraining(JointPatience, NoiseDraws, weighting)
            .WithMaxEpochs(MaxEpochs).WithSeed(seed)
            .WithCollectiveVariablePrior(CollectiveVariablePriorEpochs);
        return ScoreAveraging > 0 ? builder.WithScoreAveraging(ScoreAveraging) : builder;
    }
}
