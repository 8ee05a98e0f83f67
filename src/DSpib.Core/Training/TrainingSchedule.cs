namespace DSpib.Training;

/// <summary>How a model with a diffusion prior is trained (the SPIB baseline always trains SPIB with refinement).</summary>
public enum TrainingSchedule
{
    /// <summary>
    /// The reference: SPIB with the VampPrior and label refinement, then the joint D-SPIB objective with a fresh
    /// optimizer, no refinement and its own patience, then a final relabel.
    /// </summary>
    TwoPhase,

    /// <summary>The joint D-SPIB objective from the first epoch, with label refinement, then a final relabel.</summary>
    JointFromStart,
}
