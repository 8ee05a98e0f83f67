using System.Globalization;
using System.Text;

namespace DSpib.Samples.Lj7Temperature;

/// <summary>
/// Gathers the <c>summary.json</c> of many runs (configurations x seeds, one folder each) into one table of means and
/// spreads over seeds: how each choice of temperature law, embedding and weighting interpolates and extrapolates.
/// </summary>
internal static class Lj7Study
{
    /// <summary>Reads every <c>*/summary.json</c> under <paramref name="folder"/> and writes <c>study.md</c> and <c>study.json</c> there.</summary>
    public static StudyResult Aggregate(string folder, TextWriter log)
    {
        var runs = Directory.EnumerateFiles(folder, "summary.json", SearchOption.AllDirectories)
            .Select(path => (Path: path, Summary: ResultFiles.ReadJson<Lj7Summary>(path)))
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .ToArray();
        if (runs.Length == 0)
        {
            throw new ArgumentException($"No summary.json under {folder}: run the study first (samples/Lj7Temperature/run-study.sh).", nameof(folder));
        }

        var configurations = runs
            .GroupBy(r => Configuration(r.Summary.Settings), StringComparer.Ordinal)
            .Select(group => Summarise(group.Key, group.Select(r => r.Summary).ToArray()))
            .OrderBy(c => c.InterpolationRmse.Mean)
            .ToArray();
        var result = new StudyResult(configurations);
        ResultFiles.WriteJson(Path.Combine(folder, "study.json"), result);
        var table = FormatTable(result);
        File.WriteAllText(Path.Combine(folder, "study.md"), table);
        log.WriteLine(table);
        return result;
    }

    /// <summary>The name of a run's configuration: the choices the study varies.</summary>
    public static string Configuration(Lj7Options settings) => $"{settings.Law} law, {settings.Embedding} embedding, {settings.Weighting}";

    private static ConfigurationResult Summarise(string name, Lj7Summary[] runs)
    {
        var temperatures = runs[0].Temperatures.Keys.ToArray();
        var perTemperature = temperatures.ToDictionary(
            t => t,
            t => new TemperatureStatistics(
                runs[0].Temperatures[t].Trained,
                Spread.Of(runs.Select(r => r.Temperatures[t].FreeEnergyRmse)),
                Spread.Of(runs.Select(r => r.Temperatures[t].SymmetrizedKl)),
                Spread.Of(runs.Select(r => r.Temperatures[t].KlFloor)),
                Spread.Of(runs.Select(r => r.Temperatures[t].ExactVersusSampledRmse)),
                Spread.Of(runs.Select(r => r.Temperatures[t].ExactVersusFlowSamplesRmse))),
            StringComparer.Ordinal);
        return new ConfigurationResult(
            name,
            runs.Select(r => r.Settings.Seed).ToArray(),
            Spread.Of(runs.Select(r => r.InterpolationRmse)),
            Spread.Of(runs.Select(r => r.ExtrapolationRmse)),
            Spread.Of(runs.Select(r => (double)r.Training.StateCount)),
            Spread.Of(runs.Select(r => r.Training.Seconds)),
            perTemperature);
    }

    private static string FormatTable(StudyResult result)
    {
        var text = new StringBuilder();
        text.AppendLine("| configuration | seeds | F RMSE, unseen inside (mean ± sd) | F RMSE, unseen outside | states | training time |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- |");
        foreach (var c in result.Configurations)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Name} | {string.Join(", ", c.Seeds)} | {c.InterpolationRmse} | {c.ExtrapolationRmse} | {c.States.Format("F1")} | {c.TrainingSeconds.Format("F0")} s |");
        }

        text.AppendLine();
        var temperatures = result.Configurations[0].Temperatures.Keys.ToArray();
        text.AppendLine($"| configuration | {string.Join(" | ", temperatures.Select(t => $"F RMSE at {t}"))} |");
        text.AppendLine($"| --- | {string.Join(" | ", temperatures.Select(_ => "---"))} |");
        foreach (var c in result.Configurations)
        {
            text.AppendLine($"| {c.Name} | {string.Join(" | ", temperatures.Select(t => c.Temperatures[t].FreeEnergyRmse + (c.Temperatures[t].Trained ? " (trained)" : string.Empty)))} |");
        }

        text.AppendLine();
        text.AppendLine($"| configuration | {string.Join(" | ", temperatures.Select(t => $"KL / floor at {t}"))} |");
        text.AppendLine($"| --- | {string.Join(" | ", temperatures.Select(_ => "---"))} |");
        foreach (var c in result.Configurations)
        {
            text.AppendLine($"| {c.Name} | {string.Join(" | ", temperatures.Select(t => $"{c.Temperatures[t].SymmetrizedKl.Mean.ToString("F3", CultureInfo.InvariantCulture)} / {c.Temperatures[t].KlFloor.Mean.ToString("F3", CultureInfo.InvariantCulture)}"))} |");
        }

        text.AppendLine();
        text.AppendLine($"| configuration | {string.Join(" | ", temperatures.Select(t => $"exact vs sampled F at {t}"))} |");
        text.AppendLine($"| --- | {string.Join(" | ", temperatures.Select(_ => "---"))} |");
        foreach (var c in result.Configurations)
        {
            text.AppendLine($"| {c.Name} | {string.Join(" | ", temperatures.Select(t => c.Temperatures[t].ExactVersusSampledRmse.ToString()))} |");
        }

        text.AppendLine();
        text.AppendLine($"| configuration | {string.Join(" | ", temperatures.Select(t => $"exact vs ODE samples at {t}"))} |");
        text.AppendLine($"| --- | {string.Join(" | ", temperatures.Select(_ => "---"))} |");
        foreach (var c in result.Configurations)
        {
            text.AppendLine($"| {c.Name} | {string.Join(" | ", temperatures.Select(t => c.Temperatures[t].ExactVersusFlowSamplesRmse.ToString()))} |");
        }

        return text.ToString();
    }
}

/// <summary>The study: one entry per configuration, best interpolation first.</summary>
internal sealed record StudyResult(IReadOnlyList<ConfigurationResult> Configurations);

/// <summary>One configuration over its seeds.</summary>
internal sealed record ConfigurationResult(
    string Name,
    IReadOnlyList<int> Seeds,
    Spread InterpolationRmse,
    Spread ExtrapolationRmse,
    Spread States,
    Spread TrainingSeconds,
    IReadOnlyDictionary<string, TemperatureStatistics> Temperatures);

/// <summary>One temperature's figures over the seeds of a configuration.</summary>
internal sealed record TemperatureStatistics(bool Trained, Spread FreeEnergyRmse, Spread SymmetrizedKl, Spread KlFloor, Spread ExactVersusSampledRmse, Spread ExactVersusFlowSamplesRmse);

/// <summary>Mean, sample standard deviation, smallest and largest of a few values.</summary>
internal sealed record Spread(double Mean, double StandardDeviation, double Min, double Max)
{
    public static Spread Of(IEnumerable<double> values)
    {
        var array = values.ToArray();
        var mean = array.Average();
        var deviation = array.Length > 1 ? Math.Sqrt(array.Sum(v => (v - mean) * (v - mean)) / (array.Length - 1)) : 0;
        return new Spread(mean, deviation, array.Min(), array.Max());
    }

    public string Format(string format) =>
        string.Create(CultureInfo.InvariantCulture, $"{Mean.ToString(format, CultureInfo.InvariantCulture)} ± {StandardDeviation.ToString(format, CultureInfo.InvariantCulture)}");

    /// <inheritdoc />
    public override string ToString() => Format("F3");
}
