using System.Globalization;
using System.Text;
using DSpib.Systems.Dynamics;
using DSpib.Training;

namespace DSpib.Samples.ThreeHole;

/// <summary>Everything the sample measured, as written to <c>summary.json</c>.</summary>
internal sealed record ThreeHoleSummary(
    SampleOptions Settings,
    int StateCount,
    IReadOnlyList<StateSummary> States,
    double LargestPopulationError,
    int Epochs,
    string StopReason,
    double TrainingSeconds,
    IReadOnlyList<RefinementRecord> Refinements,
    long SimulationSteps,
    double SimulationSeconds)
{
    public static ThreeHoleSummary From(SampleOptions options, TrainingReport report, IReadOnlyList<double> boltzmann, SimulationResult simulation)
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
                report.StatePopulations[k],
                boltzmann[k]))
            .ToArray();
        return new ThreeHoleSummary(
            options,
            stateCount,
            summaries,
            summaries.Max(s => Math.Abs(s.PopulationError)),
            report.History.Count,
            report.StopReason.ToString(),
            report.Elapsed.TotalSeconds,
            report.Refinements,
            simulation.TotalSteps,
            simulation.Elapsed.TotalSeconds);
    }

    public string FormatTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"SPIB found {StateCount} states after {Epochs} epochs ({StopReason}, {TrainingSeconds:F0} s):");
        text.AppendLine("  state   mean x   mean y   population (MD)   Boltzmann   difference");
        foreach (var state in States)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {state.State,5}  {state.MeanX,7:F2}  {state.MeanY,7:F2}  {state.Population,16:F4}  {state.BoltzmannPopulation,10:F4}  {state.PopulationError,+11:F4}");
        }

        text.Append(CultureInfo.InvariantCulture, $"  largest |difference|: {LargestPopulationError:F4}");
        return text.ToString();
    }
}

/// <summary>One metastable state: where its frames are, and its population from the trajectory and from Boltzmann weights.</summary>
internal sealed record StateSummary(int State, double MeanX, double MeanY, double Population, double BoltzmannPopulation)
{
    public double PopulationError => Population - BoltzmannPopulation;
}
