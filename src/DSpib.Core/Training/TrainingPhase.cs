namespace DSpib.Training;

/// <summary>Which objective an epoch optimised.</summary>
public enum TrainingPhase
{
    /// <summary>The SPIB objective with the VampPrior, with label refinement.</summary>
    Spib,

    /// <summary>The joint D-SPIB objective with the diffusion prior, no refinement.</summary>
    Joint,
}
