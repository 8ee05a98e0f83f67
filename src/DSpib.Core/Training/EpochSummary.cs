namespace DSpib.Training;

/// <summary>What one training epoch did: reported through <see cref="IProgress{T}"/> and kept in the report's history.</summary>
/// <param name="Phase">The objective optimised.</param>
/// <param name="Epoch">One-based epoch number over the whole run.</param>
/// <param name="RefinementsDone">Label refinement rounds completed before this epoch.</param>
/// <param name="TrainLoss">Weighted mean training loss over the epoch.</param>
/// <param name="TrainCrossEntropy">Its future-state cross-entropy part.</param>
/// <param name="TrainKl">Its KL(q || prior) part, before multiplying by beta (in the joint phase: E[log q] plus the diffusion term).</param>
/// <param name="TestLoss">Weighted mean loss on the test pairs after the epoch (NaN without test pairs).</param>
/// <param name="TestCrossEntropy">Its cross-entropy part.</param>
/// <param name="TestKl">Its KL part, before multiplying by beta.</param>
/// <param name="StateCount">Number of states the decoder predicts.</param>
/// <param name="Populations">Weighted fraction of training pairs whose future frame carries each state label.</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="TrainDiffusionLoss">The diffusion prior's denoising score-matching term of the training loss (NaN in the SPIB phase).</param>
public sealed record EpochSummary(
    TrainingPhase Phase,
    int Epoch,
    int RefinementsDone,
    double TrainLoss,
    double TrainCrossEntropy,
    double TrainKl,
    double TestLoss,
    double TestCrossEntropy,
    double TestKl,
    int StateCount,
    IReadOnlyList<double> Populations,
    TimeSpan Elapsed,
    double TrainDiffusionLoss = double.NaN);
