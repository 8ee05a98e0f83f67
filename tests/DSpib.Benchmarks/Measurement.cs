using System.Diagnostics;

namespace DSpib.Benchmarks;

/// <summary>Repeated timings of one figure: median and spread, never a single number.</summary>
internal sealed record Measurement(string Name, string Unit, IReadOnlyList<double> Samples, IReadOnlyDictionary<string, string> Settings)
{
    public double Median => Quantile(0.5);

    public double Lower => Quantile(0.25);

    public double Upper => Quantile(0.75);

    public double Min => Samples.Min();

    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times unmeasured, then <paramref name="repeats"/> times measured (seconds).</summary>
    public static Measurement Time(string name, int warmup, int repeats, Action action, IReadOnlyDictionary<string, string> settings)
    {
        for (var i = 0; i < warmup; i++)
        {
            action();
        }

        var samples = new List<double>(repeats);
        for (var i = 0; i < repeats; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            action();
            samples.Add(stopwatch.Elapsed.TotalSeconds);
        }

        return new Measurement(name, "s", samples, settings);
    }

    /// <summary>The same timings as milliseconds per step, for samples that each timed <paramref name="steps"/> steps.</summary>
    public Measurement PerStep(int steps) =>
        this with { Unit = "ms/step", Samples = Samples.Select(s => s * 1000 / steps).ToArray() };

    private double Quantile(double q)
    {
        var sorted = Samples.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
