namespace DSpib.Training;

/// <summary>
/// How the collective-variable prior was fitted after training (see
/// <see cref="TrainerBuilder.WithCollectiveVariablePrior"/>): its epochs and its denoising loss on the test pairs'
/// encoder means, with the same noise every epoch, at the start (the joint prior's weights) and as kept (the best).
/// </summary>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="InitialTestLoss">Test loss of the joint prior's weights, where fitting starts (NaN without test pairs).</param>
/// <param name="TestLoss">Test loss of the weights kept (NaN without test pairs).</param>
/// <param name="Elapsed">Wall-clock time of the fit (part of <see cref="TrainingReport.Elapsed"/>).</param>
public sealed record CollectiveVariablePriorFitReport(int Epochs, double InitialTestLoss, double TestLoss, TimeSpan Elapsed);
