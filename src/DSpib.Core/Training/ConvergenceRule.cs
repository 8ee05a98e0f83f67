namespace DSpib.Training;

/// <summary>What a phase does after an epoch.</summary>
internal enum PhaseStep
{
    /// <summary>Train another epoch.</summary>
    Continue,

    /// <summary>Relabel the pairs (a refinement round), then go on.</summary>
    Refine,

    /// <summary>The phase has converged after its last refinement round.</summary>
    Converged,
}

/// <summary>
/// When a phase refines its labels and when it has converged: an epoch is unchanged when its mean training loss moved
/// by less than the tolerance and, in the joint phase, the diffusion loss did not beat its best by more than the
/// tolerance; after more than the patience unchanged epochs in a row the phase refines, or, after its last round, ends.
/// </summary>
/// <remarks>
/// In the joint phase the diffusion term enters the loss scaled by beta (1e-5 in the reference), so a steady loss says
/// only that the cross-entropy has settled; the prior must also have stopped improving.
/// </remarks>
internal sealed class ConvergenceRule(double tolerance, int patience, int refinements, bool watchDiffusion)
{
    /// <summary>Unchanged epochs in a row.</summary>
    public int Unchanged { get; private set; }

    /// <summary>The previous epoch's loss (NaN at the start and after a refinement).</summary>
    public double PreviousLoss { get; private set; } = double.NaN;

    /// <summary>The best diffusion loss of the phase so far (NaN before the first joint epoch).</summary>
    public double BestDiffusion { get; private set; } = double.NaN;

    /// <summary>Refinement rounds done in the phase.</summary>
    public int Round { get; private set; }

    /// <summary>Continues a rule whose state a checkpoint saved.</summary>
    public void Restore(int round, int unchanged, double previousLoss, double bestDiffusion) =>
        (Round, Unchanged, PreviousLoss, BestDiffusion) = (round, unchanged, previousLoss, bestDiffusion);

    /// <summary>Takes an epoch's training totals and says what to do next.</summary>
    public PhaseStep Observe(LossTotals train)
    {
        var priorImproved = watchDiffusion && !(train.Diffusion >= BestDiffusion - tolerance);
        if (priorImproved)
        {
            BestDiffusion = train.Diffusion;
        }

        Unchanged = Math.Abs(train.Loss - PreviousLoss) < tolerance && !priorImproved ? Unchanged + 1 : 0;
        PreviousLoss = train.Loss;
        if (Unchanged <= patience)
        {
            return PhaseStep.Continue;
        }

        if (Round == refinements)
        {
            return PhaseStep.Converged;
        }

        Round++;
        Unchanged = 0;
        PreviousLoss = double.NaN;
        return PhaseStep.Refine;
    }
}
