namespace DSpib.Analysis;

/// <summary>
/// A two-dimensional free-energy surface F(x, y) = -ln p(x, y) in k_B T units, shifted so that its minimum is 0, on a
/// regular grid.
/// </summary>
public sealed class FreeEnergySurface
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[,] _values;

    internal FreeEnergySurface(double[] x, double[] y, double[,] logDensity)
    {
        _x = x;
        _y = y;
        var maximum = double.NegativeInfinity;
        foreach (var value in logDensity)
        {
            maximum = Math.Max(maximum, value);
        }

        _values = new double[x.Length, y.Length];
        for (var i = 0; i < x.Length; i++)
        {
            for (var j = 0; j < y.Length; j++)
            {
                _values[i, j] = maximum - logDensity[i, j];
            }
        }
    }

    /// <summary>
    /// From a <paramref name="bins"/> x <paramref name="bins"/> histogram of <paramref name="samples"/> (for example the
    /// encoded frames of a simulation, or generated latent samples), with the bin centres as the grid: F = -ln p,
    /// minimum 0, positive infinity in empty bins.
    /// </summary>
    /// <param name="samples">Samples x 2.</param>
    /// <param name="bins">Bins along each coordinate (at least 1).</param>
    /// <param name="range">The grid's extent (default: the samples' range). Samples outside it are refused unless <paramref name="clampToRange"/>.</param>
    /// <param name="clampToRange">Count samples outside <paramref name="range"/> in the nearest edge bin instead of refusing them.</param>
    public static FreeEnergySurface FromHistogram(double[,] samples, int bins = 100, HistogramRange? range = null, bool clampToRange = false)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (samples.GetLength(1) != 2 || samples.GetLength(0) == 0)
        {
            throw new ArgumentException("The samples need two columns and at least one row.", nameof(samples));
        }

        var grid = range ?? HistogramRange.Covering([samples]);
        var counts = Histogram2D.Counts(samples, bins, grid, clampToRange, nameof(samples));
        var logDensity = new double[bins, bins];
        for (var i = 0; i < bins; i++)
        {
            for (var j = 0; j < bins; j++)
            {
                logDensity[i, j] = counts[i, j] > 0 ? Math.Log(counts[i, j]) : double.NegativeInfinity;
            }
        }

        double[] Centres(double low, double high) => Enumerable.Range(0, bins).Select(k => low + ((high - low) * (k + 0.5) / bins)).ToArray();
        return new FreeEnergySurface(Centres(grid.XMin, grid.XMax), Centres(grid.YMin, grid.YMax), logDensity);
    }

    /// <summary>Grid along the first latent coordinate.</summary>
    public IReadOnlyList<double> X => _x;

    /// <summary>Grid along the second latent coordinate.</summary>
    public IReadOnlyList<double> Y => _y;

    /// <summary>F at (X[i], Y[j]), in k_B T, minimum 0.</summary>
    /// <param name="i">Index along <see cref="X"/>.</param>
    /// <param name="j">Index along <see cref="Y"/>.</param>
    public double this[int i, int j] => _values[i, j];

    /// <summary>A copy of the values as an X x Y matrix.</summary>
    public double[,] ToMatrix() => (double[,])_values.Clone();
}
