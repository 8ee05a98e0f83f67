namespace DSpib.Training;

/// <summary>
/// Training was cancelled through its token. The model keeps the weights trained so far, relabelled once more, and is
/// usable; its <see cref="DSpibModel.Training"/> says the training is not complete. <see cref="Report"/> holds the run
/// up to the cancellation.
/// </summary>
public sealed class TrainingCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception with a default message.</summary>
    public TrainingCanceledException()
        : base("Training was cancelled.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TrainingCanceledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingCanceledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TrainingCanceledException(TrainingReport report, CancellationToken cancellationToken)
        : base($"Training was cancelled after {report.History.Count} epochs; the model keeps the weights trained so far.", cancellationToken) =>
        Report = report;

    /// <summary>The run up to the cancellation (null when the exception was not thrown by a trainer).</summary>
    public TrainingReport? Report { get; }
}
