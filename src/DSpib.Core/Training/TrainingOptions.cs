namespace DSpib.Training;

/// <summary>The settings of a <see cref="Trainer"/>, as set by <see cref="TrainerBuilder"/> (reference values as defaults).</summary>
/// <param name="Lag">Lag time in frames between a frame and the future state it predicts.</param>
/// <param name="BatchSize">Pairs per optimisation step.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="Beta">Weight of the information bottleneck (KL) term.</param>
/// <param name="Tolerance">An epoch counts as unchanged when its mean training loss moved by less than this.</param>
/// <param name="Patience">Labels are refined (or training stops) after more than this many unchanged epochs in a row.</param>
/// <param name="Refinements">Number of label refinement rounds; a final relabel follows the last.</param>
/// <param name="MaxEpochs">Cap on the number of epochs; training ends with a final relabel when it is reached.</param>
/// <param name="TrainFraction">Fraction of pairs used for training.</param>
/// <param name="TestFraction">Fraction of pairs used to monitor the loss; the rest is held out for validation.</param>
/// <param name="Seed">Seed of the split, the batch order and the latent noise.</param>
/// <param name="JointPatience">
/// The joint D-SPIB phase stops after more than this many unchanged epochs in a row: the loss steady within the
/// tolerance and the diffusion loss no more than the tolerance below its best so far.
/// </param>
/// <param name="NoiseDraws">Noise draws (t, eps) per latent sample in the diffusion term (M).</param>
/// <param name="Weighting">How the diffusion term weights times: uniform (the reference) or likelihood-weighted.</param>
/// <param name="Schedule">How a model with a diffusion prior is trained.</param>
/// <param name="ScoreAveraging">
/// Decay of the exponential moving average of the score network's weights over the joint phase's steps, which the
/// model keeps when the phase ends; 0 keeps the last step's weights (the reference).
/// </param>
public sealed record TrainingOptions(
    int Lag,
    int BatchSize,
    double LearningRate,
    double Beta,
    double Tolerance,
    int Patience,
    int Refinements,
    int MaxEpochs,
    double TrainFraction,
    double TestFraction,
    int Seed,
    int JointPatience = 150,
    int NoiseDraws = 16,
    Diffusion.DiffusionWeighting Weighting = Diffusion.DiffusionWeighting.Unweighted,
    TrainingSchedule Schedule = TrainingSchedule.TwoPhase,
    double ScoreAveraging = 0)
{
    /// <summary>The reference hyperparameters (METHOD section 8) with a lag of one frame.</summary>
    public static TrainingOptions Reference { get; } = new(
        Lag: 1,
        BatchSize: 512,
        LearningRate: 1e-3,
        Beta: 1e-5,
        Tolerance: 1e-3,
        Patience: 5,
        Refinements: 10,
        MaxEpochs: 1000,
        TrainFraction: 0.6,
        TestFraction: 0.2,
        Seed: 42);
}
