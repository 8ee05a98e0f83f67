using System.Globalization;
using DSpib.Analysis;
using ScottPlot;

namespace DSpib.Samples.ThreeHole;

/// <summary>
/// 2-D free energies in latent space, as in the paper's Figure 2A: one row per model, the encoded held-out MD frames on
/// the left and the model's generated samples on the right, on the model's histogram grid.
/// </summary>
internal static class FreeEnergyPlot
{
    /// <summary>Free energies above this are drawn in the top colour, so a few almost empty bins do not wash out the scale.</summary>
    private const double Ceiling = 8;

    /// <summary>One row of the figure.</summary>
    /// <param name="Title">The model's description.</param>
    /// <param name="Encoded">Encoded held-out frames (samples x 2).</param>
    /// <param name="Generated">Generated latent samples (samples x 2).</param>
    /// <param name="Grid">The grid the KL was measured on.</param>
    /// <param name="Kl">The KL of the two sets, shown in the title.</param>
    /// <param name="Floor">Its finite-sample floor.</param>
    public sealed record Row(string Title, double[,] Encoded, double[,] Generated, HistogramRange Grid, double Kl, double Floor);

    public static void Write(string path, IReadOnlyList<Row> rows, int bins)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2 * rows.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows.Count, 2);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            AddPanel(multiplot.GetPlot(2 * r), FreeEnergy(row.Encoded, row.Grid, bins), row.Grid, $"{row.Title}: encoded MD frames");
            AddPanel(multiplot.GetPlot((2 * r) + 1), FreeEnergy(row.Generated, row.Grid, bins), row.Grid, string.Create(CultureInfo.InvariantCulture, $"generated: KL {row.Kl:F3} (floor {row.Floor:F3})"));
        }

        multiplot.SavePng(path, 1200, 500 * rows.Count);
    }

    private static void AddPanel(Plot plot, double[,] freeEnergy, HistogramRange grid, string title)
    {
        var heatmap = plot.Add.Heatmap(freeEnergy);
        heatmap.Extent = new CoordinateRect(grid.XMin, grid.XMax, grid.YMin, grid.YMax);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.ManualRange = new ScottPlot.Range(0, Ceiling);
        heatmap.NaNCellColor = Colors.White;
        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "F / k_B T";
        plot.Title(title, size: 13);
        plot.XLabel("z_1");
        plot.YLabel("z_2");
        plot.Axes.SetLimits(grid.XMin, grid.XMax, grid.YMin, grid.YMax);
    }

    /// <summary>
    /// F = -ln p of a <paramref name="bins"/> x <paramref name="bins"/> histogram, shifted to minimum 0, in k_B T; empty
    /// bins are NaN (drawn white). Rows run from the top of the picture down, as the heatmap draws them.
    /// </summary>
    internal static double[,] FreeEnergy(double[,] samples, HistogramRange grid, int bins)
    {
        // Samples beyond the grid count in its edge bins, which the picture shows as its border.
        var surface = FreeEnergySurface.FromHistogram(samples, bins, grid, clampToRange: true);
        var result = new double[bins, bins];
        for (var row = 0; row < bins; row++)
        {
            for (var column = 0; column < bins; column++)
            {
                var f = surface[column, bins - 1 - row];
                result[row, column] = double.IsFinite(f) ? Math.Min(f, Ceiling) : double.NaN;
            }
        }

        return result;
    }}
