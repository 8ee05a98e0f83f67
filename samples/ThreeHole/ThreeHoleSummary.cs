using System.Globalization;
using System.Text;
using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Training;

namespace DSpib.Samples.ThreeHole;

/// <summary>Everything the sample measured, as written to <c>summary.json</c>.</summary>
internal sealed record ThreeHoleSummary(
    SampleOptions Settings,
    int StateCount,
    IReadOnlyList<StateSummary> States,
    double LargestPopulationError,
    double LargestTrainingPopulationError,
    int Epochs,
    string StopReason,
    double TrainingSeconds,
    IReadOnlyList<RefinementRecord> Refinements,
    long SimulationSteps,
    double SimulationSeconds,
    long VerificationSteps)
{
    public static ThreeHoleSummary From(
        SampleOptions options,
        TrainingReport report,
        IReadOnlyList<double> boltzmann,
        PopulationEstimate training,
        PopulationEstimate independent,
        SimulationResult simulation,
        SimulationResult verification)
    {
        var stateCount = report.StateCount;
        var sums = new double[stateCount, 2];
        var counts = new double[stateCount];
        for (var walker = 0; walker < simulation.Trajectories.Count; walker++)
        {
            var frames = simulation.Trajectories[walker];
            var states = report.FinalLabels.ForTrajectory(walker);
            for (var n = 0; n < states.Length; n++)
            {
                sums[states[n], 0] += frames[n, 0];
                sums[states[n], 1] += frames[n, 1];
                counts[states[n]]++;
            }
        }

        var summaries = Enumerable.Range(0, stateCount)
            .Select(k => new StateSummary(
                k,
                counts[k] > 0 ? sums[k, 0] / counts[k] : double.NaN,
                counts[k] > 0 ? sums[k, 1] / counts[k] : double.NaN,
                training.Mean[k],
                training.StandardError[k],
                independent.Mean[k],
                independent.StandardError[k],
                boltzmann[k]))
            .ToArray();
        return new ThreeHoleSummary(
            options,
            stateCount,
            summaries,
            summaries.Max(s => Math.Abs(s.PopulationError)),
            summaries.Max(s => Math.Abs(s.TrainingPopulation - s.BoltzmannPopulation)),
            report.History.Count,
            report.StopReason.ToString(),
            report.Elapsed.TotalSeconds,
            report.Refinements,
            simulation.TotalSteps,
            simulation.Elapsed.TotalSeconds,
            verification.TotalSteps);
    }

    public string FormatTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"SPIB found {StateCount} states after {Epochs} epochs ({StopReason}, {TrainingSeconds:F0} s).");
        text.AppendLine(CultureInfo.InvariantCulture, $"Populations: training frames, an independent run of {VerificationSteps / 1e6:F0}M steps (± standard error), and Boltzmann weights of each state's region:");
        text.AppendLine("  state   mean x   mean y     training frames      independent run   Boltzmann   difference");
        foreach (var state in States)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {state.State,5}  {state.MeanX,7:F2}  {state.MeanY,7:F2}   {state.TrainingPopulation,7:F4} ± {state.TrainingStandardError:F4}   {state.Population,7:F4} ± {state.StandardError:F4}   {state.BoltzmannPopulation,9:F4}  {state.PopulationError,+11:F4}");
        }

        text.Append(CultureInfo.InvariantCulture, $"  largest |independent run - Boltzmann|: {LargestPopulationError:F4}; largest |training frames - Boltzmann|: {LargestTrainingPopulationError:F4}");
        return text.ToString();
    }
}

/// <summary>
/// One metastable state: where its training frames are, and its population from the training frames, from an
/// independent run, and from Boltzmann weights.
/// </summary>
internal sealed record StateSummary(
    int State,
    double MeanX,
    double MeanY,
    double TrainingPopulation,
    double TrainingStandardError,
    double Population,
    double StandardError,
    double BoltzmannPopulation)
{
    /// <summary>Independent-run population minus the Boltzmann population.</summary>
    public double PopulationError => Population - BoltzmannPopulation;
}
