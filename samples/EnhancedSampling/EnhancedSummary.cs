using System.Globalization;
using System.Text;

namespace DSpib.Samples.EnhancedSampling;

/// <summary>One seed: the bias loop and plain MD of the same number of force evaluations.</summary>
internal sealed record SeedResult(
    int Seed,
    long ForceEvaluations,
    double[] EnhancedPopulations,
    double[] EnhancedStandardErrors,
    double VariableOverlap,
    double EnhancedPopulationError,
    double EnhancedRmse,
    double EnhancedCoverage,
    int EnhancedTransitions,
    double EnhancedSeconds,
    double[] PlainPopulations,
    double PlainPopulationError,
    double PlainRmse,
    double PlainCoverage,
    int PlainTransitions,
    double PlainSeconds);

/// <summary>What a run of the sample found.</summary>
internal sealed record EnhancedSummary(EnhancedOptions Settings, double[] ExactPopulations, IReadOnlyList<SeedResult> Seeds)
{
    public string FormatTable()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"Exact populations (left, right, upper): {ExactPopulations[0]:F3} {ExactPopulations[1]:F3} {ExactPopulations[2]:F3}");
        text.AppendLine("seed | method       | populations (L R U)  | max pop. error | block SE | L/R overlap | F RMSE (k_BT) | bins visited | transitions | seconds");
        foreach (var s in Seeds)
        {
            text.AppendLine(c, $"{s.Seed,4} | metadynamics | {s.EnhancedPopulations[0]:F3} {s.EnhancedPopulations[1]:F3} {s.EnhancedPopulations[2]:F3}  | {s.EnhancedPopulationError,14:F3} | {s.EnhancedStandardErrors.Max(),8:F3} | {s.VariableOverlap,11:F3} | {s.EnhancedRmse,13:F2} | {s.EnhancedCoverage,12:P0} | {s.EnhancedTransitions,11} | {s.EnhancedSeconds,7:F0}");
            text.AppendLine(c, $"{s.Seed,4} | plain MD     | {s.PlainPopulations[0]:F3} {s.PlainPopulations[1]:F3} {s.PlainPopulations[2]:F3}  | {s.PlainPopulationError,14:F3} | {"",8} | {"",11} | {s.PlainRmse,13:F2} | {s.PlainCoverage,12:P0} | {s.PlainTransitions,11} | {s.PlainSeconds,7:F0}");
        }

        return text.ToString();
    }
}
