using DSpib.Analysis;
using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>Free energies on grids from exact log-densities of a diffusion prior.</summary>
internal static class FreeEnergyEvaluation
{
    /// <summary>Points per native likelihood call, bounding memory on large grids.</summary>
    private const int Chunk = 8_192;

    /// <summary>log p at every row of <paramref name="points"/> [n, D], in chunks.</summary>
    public static double[] LogDensity(INoisePredictor predictor, VpSde sde, double[,] points, double temperature, double lambda, int steps, ScalarType type, Device device)
    {
        var rows = points.GetLength(0);
        var dimension = points.GetLength(1);
        var flat = Internal.ArrayViews.AsReadOnlySpan(points).ToArray();
        var result = new double[rows];
        for (var start = 0; start < rows; start += Chunk)
        {
            var count = Math.Min(Chunk, rows - start);
            using var scope = NewDisposeScope();
            var chunk = tensor(flat.AsSpan(start * dimension, count * dimension).ToArray(), [count, dimension], dtype: ScalarType.Float64).to(type).to(device);
            var logDensity = ProbabilityFlowLikelihood.LogDensity(predictor, sde, chunk, temperature, lambda, steps);
            logDensity.to(ScalarType.Float64).cpu().data<double>().CopyTo(result.AsSpan(start, count));
        }

        return result;
    }

    /// <summary>F(x, y) on the grid x by y of a two-dimensional latent space.</summary>
    public static FreeEnergySurface Surface(INoisePredictor predictor, VpSde sde, double[] x, double[] y, double temperature, double lambda, int steps, ScalarType type, Device device)
    {
        var points = new double[x.Length * y.Length, 2];
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                points[(i * y.Length) + j, 0] = x[i];
                points[(i * y.Length) + j, 1] = y[j];
            }
        }

        var logDensity = LogDensity(predictor, sde, points, temperature, lambda, steps, type, device);
        var values = new double[x.Length, y.Length];
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                values[i, j] = logDensity[(i * y.Length) + j];
            }
        }

        return new FreeEnergySurface(x, y, values);
    }

    /// <summary>
    /// F along latent coordinate <paramref name="dimension"/>, with the other coordinates integrated out numerically:
    /// p(z_d) = sum over the product grid of the others of p(z) times the cell volume, summed in log space. Also the
    /// largest density on the marginal grid's edges relative to the largest anywhere: well above 0, the marginal grid
    /// cuts off probability mass.
    /// </summary>
    public static (FreeEnergyProfile Profile, double EdgeDensityRatio) Profile(INoisePredictor predictor, VpSde sde, int latentDimension, int dimension, double[] grid, double[] otherGrid, double temperature, double lambda, int steps, ScalarType type, Device device)
    {
        var others = latentDimension - 1;
        var combinations = (int)Math.Pow(otherGrid.Length, others);
        var points = new double[grid.Length * combinations, latentDimension];
        for (var g = 0; g < grid.Length; g++)
        {
            for (var c = 0; c < combinations; c++)
            {
                var row = (g * combinations) + c;
                var rest = c;
                for (var d = 0; d < latentDimension; d++)
                {
                    if (d == dimension)
                    {
                        points[row, d] = grid[g];
                        continue;
                    }

                    points[row, d] = otherGrid[rest % otherGrid.Length];
                    rest /= otherGrid.Length;
                }
            }
        }

        var logDensity = LogDensity(predictor, sde, points, temperature, lambda, steps, type, device);
        var edgeDensityRatio = EdgeDensityRatio(logDensity, grid.Length, combinations, others, otherGrid.Length);
        var marginal = new double[grid.Length];
        for (var g = 0; g < grid.Length; g++)
        {
            var slice = logDensity.AsSpan(g * combinations, combinations);
            var maximum = double.NegativeInfinity;
            foreach (var value in slice)
            {
                maximum = Math.Max(maximum, value);
            }

            var sum = 0.0;
            foreach (var value in slice)
            {
                sum += Math.Exp(value - maximum);
            }

            // The cell volume is the same for every grid point, so it only shifts F and is dropped with the shift to 0.
            marginal[g] = maximum + Math.Log(sum);
        }

        return (FreeEnergyProfile.FromLogDensity(grid, marginal), edgeDensityRatio);
    }

    /// <summary>max p on the points where some other coordinate is at an end of its grid, over max p everywhere.</summary>
    private static double EdgeDensityRatio(double[] logDensity, int gridPoints, int combinations, int others, int otherPoints)
    {
        var peak = double.NegativeInfinity;
        var edge = double.NegativeInfinity;
        for (var row = 0; row < gridPoints * combinations; row++)
        {
            peak = Math.Max(peak, logDensity[row]);
            var rest = row % combinations;
            var atEdge = false;
            for (var d = 0; d < others; d++)
            {
                var index = rest % otherPoints;
                atEdge |= index == 0 || index == otherPoints - 1;
                rest /= otherPoints;
            }

            if (atEdge)
            {
                edge = Math.Max(edge, logDensity[row]);
            }
        }

        return others == 0 ? 0 : Math.Exp(edge - peak);
    }
}
