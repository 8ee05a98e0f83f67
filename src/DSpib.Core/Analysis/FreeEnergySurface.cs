using System.Globalization;
using DSpib.Internal;

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
    private readonly Lazy<BicubicSplineTable> _spline;

    internal FreeEnergySurface(double[] x, double[] y, double[,] logDensity)
    {
        _x = x;
        _y = y;
        var maximum = double.NegativeInfinity;
        foreach (var value in logDensity)
        {
            maximum = Math.Max(maximum, value);
        }

        _spline = new(MakeSpline);
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

    /// <summary>
    /// F and its gradient at any point (<paramref name="x"/>, <paramref name="y"/>), in k_B T: the tensor-product natural
    /// cubic spline through the grid values (bicubic on each cell, twice continuously differentiable), whose gradient is
    /// the exact gradient of the interpolated F. For a smooth F on a grid of spacing h the error is O(h^4) in F and
    /// O(h^3) in the gradient, except within a few points of the edges, where it is O(h^2). Outside the grid each
    /// coordinate beyond it is moved to the nearest edge, and the derivative along it is 0. Safe to call from several
    /// threads at once.
    /// </summary>
    /// <param name="x">First coordinate.</param>
    /// <param name="y">Second coordinate.</param>
    /// <param name="derivativeX">Receives dF/dx.</param>
    /// <param name="derivativeY">Receives dF/dy.</param>
    /// <exception cref="InvalidOperationException">F is +infinity somewhere (use <see cref="Capped"/> first), or a grid is not strictly increasing.</exception>
    public double Evaluate(double x, double y, out double derivativeX, out double derivativeY) =>
        _spline.Value.Evaluate(x, y, out derivativeX, out derivativeY);

    /// <summary>
    /// This surface with F above <paramref name="maximum"/>, and +infinity where the density is 0 (empty histogram bins),
    /// set to <paramref name="maximum"/>: finite everywhere, so it can be interpolated (<see cref="Evaluate"/>) and used as a bias.
    /// </summary>
    /// <param name="maximum">The cap, in k_B T (positive).</param>
    public FreeEnergySurface Capped(double maximum)
    {
        Require.Positive(maximum, nameof(maximum), "give the largest free energy to keep, in k_B T above the minimum of 0");
        var clamped = SplineTables.Clamped(_values.Cast<double>(), maximum, out var problem) ?? throw new InvalidOperationException($"The surface's F {problem}.");
        var logDensity = new double[_x.Length, _y.Length];
        for (var i = 0; i < _x.Length; i++)
        {
            for (var j = 0; j < _y.Length; j++)
            {
                logDensity[i, j] = -clamped[(i * _y.Length) + j];
            }
        }

        return new FreeEnergySurface(_x, _y, logDensity);
    }

    private BicubicSplineTable MakeSpline()
    {
        var infinite = _values.Cast<double>().Count(f => !double.IsFinite(f));
        if (infinite > 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"F is not finite (+infinity where the density is 0) at {infinite} of the {_values.Length} grid points, which no interpolant passes through: interpolate Capped(maximum) instead, for example Capped(10)."));
        }

        var problem = SplineTables.GridProblem(_x) is { } inX ? $"X {inX}" : SplineTables.GridProblem(_y) is { } inY ? $"Y {inY}" : null;
        return problem is null
            ? new BicubicSplineTable(_x, _y, _values)
            : throw new InvalidOperationException($"The surface's grid along {problem}, so it cannot be interpolated: make the surface on increasing grids.");
    }
}
