using System.Globalization;
using DSpib.Training;

namespace DSpib.Samples;

/// <summary>Prints one line per training epoch: phase, refinements, losses, states and time.</summary>
/// <param name="log">Where the lines go.</param>
/// <param name="label">A prefix naming the model being trained.</param>
/// <param name="every">Print every this many epochs (and every epoch whose state count changed).</param>
public sealed class EpochPrinter(TextWriter log, string label, int every = 1) : IProgress<EpochSummary>
{
    private int _lastStates = -1;

    /// <inheritdoc />
    public void Report(EpochSummary value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Epoch % every != 0 && value.StateCount == _lastStates)
        {
            return;
        }

        _lastStates = value.StateCount;
        var diffusion = double.IsNaN(value.TrainDiffusionLoss) ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"  diffusion {value.TrainDiffusionLoss,7:F4}");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label} {value.Phase,-5} epoch {value.Epoch,4}  refinements {value.RefinementsDone,2}  train {value.TrainLoss,8:F4}  test {value.TestLoss,8:F4}{diffusion}  states {value.StateCount,3}  {value.Elapsed.TotalSeconds,6:F0} s"));
    }

    /// <summary>"; collective-variable prior: ..." for a report that fitted one (its epochs, test losses and time), else empty.</summary>
    public static string DescribeFit(TrainingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.CollectiveVariablePrior is { } fit
            ? string.Create(CultureInfo.InvariantCulture, $"; collective-variable prior fitted in {fit.Epochs} epochs, {fit.Elapsed.TotalSeconds:F0} s (test loss {fit.InitialTestLoss:F4} -> {fit.TestLoss:F4})")
            : string.Empty;
    }
}
