using System.Globalization;
using ScottPlot;

namespace DSpib.Samples.AlanineDipeptide;

/// <summary>
/// The pictures: free energies along z_1 at every temperature (generated solid, encoded MD dashed, as in the paper's
/// Figure 2B), the (phi, psi) free energies at the held-out temperatures (MD, MBAR, the model's reweighting, the nearest
/// training temperature's MD), and the population of C7ax against temperature.
/// </summary>
internal static class AlaninePlots
{
    private const double Ceiling = 8;

    private static readonly Color[] Palette =
    [
        Color.FromHex("#1F77B4"), Color.FromHex("#2CA02C"), Color.FromHex("#FF7F0E"), Color.FromHex("#D62728"),
        Color.FromHex("#9467BD"), Color.FromHex("#8C564B"), Color.FromHex("#E377C2"), Color.FromHex("#7F7F7F"),
    ];

    public static void Write(string folder, AlanineSummary summary)
    {
        Profiles(Path.Combine(folder, "free-energy-profiles.png"), summary);
        Angles(Path.Combine(folder, "phi-psi.png"), summary);
        Populations(Path.Combine(folder, "populations.png"), summary);
    }

    private static void Profiles(string path, AlanineSummary summary)
    {
        var plot = new Plot();
        var index = 0;
        foreach (var (key, result) in summary.Temperatures)
        {
            var color = Palette[index++ % Palette.Length];
            var grid = result.Grid.ToArray();
            var line = plot.Add.ScatterLine(grid, Clip(result.GeneratedCv));
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{key} K ({result.Position}): RMSE {result.Estimates[AlanineRun.Generated].CvRmse:F2}");
            var md = plot.Add.ScatterLine(grid, Clip(result.MdCv));
            md.Color = color;
            md.LineWidth = 1.5f;
            md.LinePattern = LinePattern.Dashed;
        }

        plot.Title("Alanine dipeptide: generated D-SPIB free energy (solid) vs encoded MD (dashed)");
        plot.XLabel("z_1");
        plot.YLabel("F / k_B T");
        plot.Axes.SetLimitsY(-0.2, 8);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 700);
    }

    private static void Angles(string path, AlanineSummary summary)
    {
        var rows = summary.Temperatures.Values.Where(t => t.Position != "trained").ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        var multiplot = new Multiplot();
        multiplot.AddPlots(4 * rows.Length);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows.Length, 4);
        for (var r = 0; r < rows.Length; r++)
        {
            var t = rows[r];
            var e = t.Estimates;
            Panel(multiplot.GetPlot(4 * r), t.MdAngles, string.Create(CultureInfo.InvariantCulture, $"{t.Temperature:0} K MD"));
            Panel(multiplot.GetPlot((4 * r) + 1), t.MbarAngles, string.Create(CultureInfo.InvariantCulture, $"MBAR: RMSE {e[AlanineRun.MbarMethod].AngleRmse:F2}"));
            Panel(multiplot.GetPlot((4 * r) + 2), t.ReweightedAngles, string.Create(CultureInfo.InvariantCulture, $"D-SPIB reweighted: RMSE {e[AlanineRun.Reweighted].AngleRmse:F2}"));
            Panel(multiplot.GetPlot((4 * r) + 3), t.NearestMdAngles, string.Create(CultureInfo.InvariantCulture, $"MD at {t.NearestTrainingTemperature:0} K: RMSE {e[AlanineRun.NearestMd].AngleRmse:F2}"));
        }

        multiplot.SavePng(path, 1600, 380 * rows.Length);
    }

    private static void Panel(Plot plot, double[][] surface, string title)
    {
        var bins = surface.Length;
        var values = new double[bins, bins];
        for (var row = 0; row < bins; row++)
        {
            for (var column = 0; column < bins; column++)
            {
                // Rows of the heatmap run from the top down: psi decreasing; columns are phi.
                var f = surface[column][bins - 1 - row];
                values[row, column] = double.IsFinite(f) ? Math.Min(f, Ceiling) : double.NaN;
            }
        }

        var heatmap = plot.Add.Heatmap(values);
        heatmap.Extent = new CoordinateRect(-180, 180, -180, 180);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, Ceiling);
        heatmap.NaNCellColor = Colors.White;
        plot.Add.ColorBar(heatmap).Label = "F / k_B T";
        plot.Title(title, size: 12);
        plot.XLabel("phi (degrees)");
        plot.YLabel("psi (degrees)");
        plot.Axes.SetLimits(-180, 180, -180, 180);
    }

    private static void Populations(string path, AlanineSummary summary)
    {
        const int c7ax = AlanineData.C7ax;
        var results = summary.Temperatures.Values.OrderBy(t => t.Temperature).ToArray();
        var temperatures = results.Select(t => t.Temperature).ToArray();
        var plot = new Plot();
        void Series(string label, Func<TemperatureResult, double> value, Color color, LinePattern pattern)
        {
            var line = plot.Add.Scatter(temperatures, results.Select(value).ToArray());
            line.Color = color;
            line.LineWidth = 2;
            line.LinePattern = pattern;
            line.MarkerSize = 7;
            line.LegendText = label;
        }

        Series("MD", t => t.MdBasinPopulations[c7ax], Colors.Black, LinePattern.Solid);
        Series("D-SPIB generated", t => t.Estimates[AlanineRun.Generated].BasinPopulations[c7ax], Palette[0], LinePattern.Solid);
        Series("D-SPIB encoded MD", t => t.Estimates[AlanineRun.Encoded].BasinPopulations[c7ax], Palette[1], LinePattern.Dotted);
        Series("nearest-T generated", t => t.Estimates[AlanineRun.NearestGenerated].BasinPopulations[c7ax], Palette[2], LinePattern.Dashed);
        Series("MBAR", t => t.Estimates[AlanineRun.MbarMethod].BasinPopulations[c7ax], Palette[3], LinePattern.Dashed);
        Series("D-SPIB reweighted", t => t.Estimates[AlanineRun.Reweighted].BasinPopulations[c7ax], Palette[4], LinePattern.Dotted);
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Population of C7ax (phi >= 0); trained at {string.Join(", ", summary.Settings.TrainingTemperatures.Select(AlanineSummary.Key))} K"));
        plot.XLabel("T (K)");
        plot.YLabel("population");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(path, 1000, 600);
    }

    private static double[] Clip(IReadOnlyList<double> values) => values.Select(v => Math.Min(v, 10)).ToArray();
}
