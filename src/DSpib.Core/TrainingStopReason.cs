namespace DSpib;

/// <summary>Why a training run ended.</summary>
public enum TrainingStopReason
{
    /// <summary>The loss converged after the last refinement round.</summary>
    Converged,

    /// <summary>The epoch cap was reached first.</summary>
    EpochLimit,

    /// <summary>The cancellation token was signalled; training stopped between two steps.</summary>
    Cancelled,

    /// <summary>The model file was written before the library recorded how training ended.</summary>
    NotRecorded,

    /// <summary>
    /// A step's loss or gradient was NaN or infinite (and no recovery was left); the model keeps the parameters of the
    /// start of that epoch.
    /// </summary>
    Diverged,
}
