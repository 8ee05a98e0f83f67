using System.Globalization;
using DSpib.Systems.Analysis;
using DSpib.Systems.Potentials;
using ScottPlot;

namespace DSpib.Samples.ThreeHole;

/// <summary>The state assignment over the (x, y) plane, with contour lines of the potential.</summary>
internal static class StateMapPlot
{
    private static readonly Color[] Palette =
    [
        Color.FromHex("#4C72B0"), Color.FromHex("#DD8452"), Color.FromHex("#55A868"), Color.FromHex("#C44E52"),
        Color.FromHex("#8172B3"), Color.FromHex("#937860"), Color.FromHex("#DA8BC3"), Color.FromHex("#8C8C8C"),
    ];

    public static void Write(string path, ThreeHolePotential potential, BoltzmannGrid grid, int[] states, IReadOnlyList<StateSummary> summaries, string title)
    {
        var plot = new Plot();
        var points = grid.Points();

        // Every few grid points in both directions is enough for a crisp map and keeps the file small.
        var step = Math.Max(1, grid.Columns / 110);
        for (var k = 0; k < summaries.Count; k++)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            for (var row = 0; row < grid.Rows; row += step)
            {
                for (var column = 0; column < grid.Columns; column += step)
                {
                    var i = (row * grid.Columns) + column;
                    if (states[i] == k)
                    {
                        xs.Add(points[i, 0]);
                        ys.Add(points[i, 1]);
                    }
                }
            }

            var markers = plot.Add.Markers(xs.ToArray(), ys.ToArray(), MarkerShape.FilledSquare, 5, Palette[k % Palette.Length].WithAlpha(0.55));
            var state = summaries[k];
            markers.LegendText = string.Create(CultureInfo.InvariantCulture, $"state {k}: MD {state.Population:F3} ± {state.StandardError:F3}, Boltzmann {state.BoltzmannPopulation:F3}");
        }

        var contour = plot.Add.ContourLines(PotentialSurface(potential), 14);
        contour.LineColor = Colors.Black.WithAlpha(0.6);
        contour.LabelStyle.IsVisible = false;

        plot.Title(title);
        plot.XLabel("x");
        plot.YLabel("y");
        plot.ShowLegend(Alignment.LowerRight);
        plot.Axes.SquareUnits();
        plot.SavePng(path, 900, 760);
    }

    private static Coordinates3d[,] PotentialSurface(ThreeHolePotential potential)
    {
        const int Nx = 120;
        const int Ny = 100;
        var surface = new Coordinates3d[Ny, Nx];
        for (var j = 0; j < Ny; j++)
        {
            for (var i = 0; i < Nx; i++)
            {
                var x = -2.5 + (5.0 * i / (Nx - 1));
                var y = -1.5 + (4.0 * j / (Ny - 1));
                surface[j, i] = new Coordinates3d(x, y, Math.Min(potential.Energy([x, y]), 4.0));
            }
        }

        return surface;
    }
}
