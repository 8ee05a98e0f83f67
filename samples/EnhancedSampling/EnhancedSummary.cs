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
    double LearnedBiasRmse,
    int EnhancedTransitions,
    double EnhancedSeconds,
    double[] PlainPopulations,
    double PlainPopulationError,
    double PlainRmse,
    double PlainCoverage,
    int PlainTransitions,
    double PlainSeconds);

/// <summary>What a run of the sample found.</summary>
/// <param name="Settings">The options of the run.</param>
/// <param name="States">The names of the states, in the order of every population.</param>
/// <param name="ExactPopulations">The reference populations.</param>
/// <param name="ExactStandardErrors">Their standard errors (zeros where they are exact).</param>
/// <param name="Seeds">Every seed's results.</param>
internal sealed record EnhancedSummary(EnhancedOptions Settings, IReadOnlyList<string> States, double[] ExactPopulations, double[] ExactStandardErrors, IReadOnlyList<SeedResult> Seeds)
{
    public string FormatTable()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        string Join(double[] values) => string.Join(" ", values.Select(v => v.ToString("F3", c)));
        var names = string.Join(" ", States);
        text.AppendLine(c, $"Exact populations ({names}): {Join(ExactPopulations)} (standard errors {Join(ExactStandardErrors)})");
        text.AppendLine(c, $"seed | method       | populations ({names}) | max pop. error | block SE | {States[0]}/{States[1]} overlap | F RMSE (k_BT) | bins visited | transitions | seconds");
        foreach (var s in Seeds)
        {
            text.AppendLine(c, $"{s.Seed,4} | {Settings.MethodName,-12} | {Join(s.EnhancedPopulations)} | {s.EnhancedPopulationError,14:F3} | {s.EnhancedStandardErrors.Max(),8:F3} | {s.VariableOverlap,11:F3} | {s.EnhancedRmse,13:F2} | {s.EnhancedCoverage,12:P0} | {s.EnhancedTransitions,11} | {s.EnhancedSeconds,7:F0}");
            text.AppendLine(c, $"{s.Seed,4} | plain MD     | {Join(s.PlainPopulations)} | {s.PlainPopulationError,14:F3} | {"",8} | {"",11} | {s.PlainRmse,13:F2} | {s.PlainCoverage,12:P0} | {s.PlainTransitions,11} | {s.PlainSeconds,7:F0}");
        }

        return text.ToString();
    }
}
