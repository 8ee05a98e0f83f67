namespace DSpib.Training;

/// <summary>
/// A training step's loss or gradient was NaN or infinite, and no recovery was left
/// (<see cref="TrainerBuilder.WithDivergenceRecovery"/>). No step with a non-finite gradient is ever applied. If an
/// epoch had finished before, the model keeps the parameters of the start of the diverged epoch, relabelled once more,
/// and its <see cref="DSpibModel.Training"/> says <see cref="TrainingStopReason.Diverged"/>; otherwise the model is left
/// untrained.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TrainingDivergedException()
        : base("Training diverged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TrainingDivergedException(DivergedStep step, TrainingReport? report)
        : base(step.Describe(report is not null))
    {
        Epoch = step.Epoch;
        Step = step.Step;
        Loss = step.Loss;
        CrossEntropy = step.CrossEntropy;
        Kl = step.Kl;
        DiffusionLoss = step.DiffusionLoss;
        LearningRate = step.LearningRate;
        Report = report;
    }

    /// <summary>The epoch (counted over the whole run, from 1) of the diverged step.</summary>
    public int Epoch { get; }

    /// <summary>The step within the epoch, from 1.</summary>
    public int Step { get; }

    /// <summary>The step's loss (finite when only a gradient was not).</summary>
    public double Loss { get; }

    /// <summary>The step's cross-entropy term.</summary>
    public double CrossEntropy { get; }

    /// <summary>The step's information-bottleneck (KL) term.</summary>
    public double Kl { get; }

    /// <summary>The step's diffusion term (NaN outside the joint phase).</summary>
    public double DiffusionLoss { get; }

    /// <summary>The learning rate of the step.</summary>
    public double LearningRate { get; }

    /// <summary>The run up to the last finished epoch; null when no epoch finished (the model is then untrained).</summary>
    public TrainingReport? Report { get; }
}
