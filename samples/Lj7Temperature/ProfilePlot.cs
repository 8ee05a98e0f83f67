using System.Globalization;
using ScottPlot;

namespace DSpib.Samples.Lj7Temperature;

/// <summary>
/// Free-energy profiles F(z_1) at every temperature, as in the paper's Figure 2B: the model's as solid lines, MD's as
/// dashed lines, one colour per temperature.
/// </summary>
internal static class ProfilePlot
{
    private static readonly Color[] Palette =
    [
        Color.FromHex("#1F77B4"), Color.FromHex("#2CA02C"), Color.FromHex("#FF7F0E"), Color.FromHex("#D62728"),
        Color.FromHex("#9467BD"), Color.FromHex("#8C564B"), Color.FromHex("#E377C2"), Color.FromHex("#7F7F7F"),
    ];

    /// <param name="path">The PNG file.</param>
    /// <param name="summary">The results.</param>
    /// <param name="exact">Plot the exact probability-flow profile instead of the generated samples' KDE profile.</param>
    public static void Write(string path, Lj7Summary summary, bool exact)
    {
        var plot = new Plot();
        var index = 0;
        foreach (var (key, result) in summary.Temperatures)
        {
            var color = Palette[index++ % Palette.Length];
            var grid = result.Grid.ToArray();
            var model = (exact ? result.ExactFreeEnergy : result.GeneratedFreeEnergy).ToArray();
            var trained = result.Trained ? ", trained" : string.Empty;
            var line = plot.Add.ScatterLine(grid, Clip(model));
            line.Color = color;
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"k_B T = {key}{trained}: RMSE {(exact ? result.ExactVersusMdRmse : result.FreeEnergyRmse):F2}");
            var md = plot.Add.ScatterLine(grid, Clip(result.MdFreeEnergy.ToArray()));
            md.Color = color;
            md.LineWidth = 1.5f;
            md.LinePattern = LinePattern.Dashed;
        }

        plot.Title(exact
            ? "LJ7: exact D-SPIB free energy (solid, probability-flow ODE) vs MD (dashed)"
            : "LJ7: generated D-SPIB free energy (solid, KDE of samples) vs MD (dashed)");
        plot.XLabel("z_1");
        plot.YLabel("F / k_B T");
        plot.Axes.SetLimitsY(-0.2, 6);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 1000, 700);
    }

    /// <summary>Free energies above the plot's top shown at the top, so lines do not shoot off to infinity.</summary>
    private static double[] Clip(double[] values) => values.Select(v => Math.Min(v, 8)).ToArray();
}
