namespace DSpib.Training;

/// <summary>Which objective an epoch optimised.</summary>
public enum TrainingPhase
{
    /// <summary>The SPIB objective with the VampPrior, with label refinement.</summary>
    Spib,
}
