using System.Globalization;
using DSpib.Internal;
using MathNet.Numerics.Statistics;

namespace DSpib.Analysis;

/// <summary>
/// A one-dimensional free-energy profile F(x) = -ln p(x) in k_B T units, shifted so that its minimum is 0, on a
/// regular grid.
/// </summary>
public sealed class FreeEnergyProfile
{
    private readonly double[] _grid;
    private readonly double[] _freeEnergy;
    private readonly Lazy<CubicSplineTable> _spline;

    private FreeEnergyProfile(double[] grid, double[] freeEnergy)
    {
        _grid = grid;
        _freeEnergy = freeEnergy;
        _spline = new(MakeSpline);
    }

    /// <summary>The grid points.</summary>
    public IReadOnlyList<double> Grid => _grid;

    /// <summary>F at each grid point, in k_B T, minimum 0 (positive infinity where the density is 0).</summary>
    public IReadOnlyList<double> FreeEnergy => _freeEnergy;

    /// <summary>
    /// From a Gaussian kernel density estimate of <paramref name="samples"/>, on <paramref name="points"/> grid points.
    /// </summary>
    /// <param name="samples">One coordinate of the samples (for example z_1).</param>
    /// <param name="bandwidth">
    /// Kernel standard deviation; by default chosen from the samples by Silverman's rule,
    /// 0.9 min(standard deviation, interquartile range / 1.34) n^(-1/5). The reference implementation uses 0.1 in latent
    /// units whatever their spread; pass it to compare with its figures.
    /// </param>
    /// <param name="points">Grid points (reference 200).</param>
    /// <param name="min">Lower end of the grid; the samples' minimum when omitted.</param>
    /// <param name="max">Upper end of the grid; the samples' maximum when omitted.</param>
    public static FreeEnergyProfile FromKde(IReadOnlyList<double> samples, double? bandwidth = null, int points = 200, double? min = null, double? max = null)
    {
        var grid = MakeGrid(samples, points, min, max);
        var list = samples as IList<double> ?? samples.ToArray();
        var width = bandwidth ?? SilvermanBandwidth(list);
        if (!(width > 0) || !double.IsFinite(width))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), width, "The bandwidth must be positive and finite (samples that are all equal have no spread to choose one from: give it).");
        }

        var density = grid.Select(x => KernelDensity.EstimateGaussian(x, width, list)).ToArray();
        return FromDensity(grid, density);
    }

    /// <summary>Silverman's rule of thumb for a Gaussian kernel: 0.9 min(sd, IQR / 1.34) n^(-1/5).</summary>
    /// <param name="samples">The samples (at least two).</param>
    public static double SilvermanBandwidth(IEnumerable<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var values = samples.ToArray();
        if (values.Length < 2)
        {
            throw new ArgumentException("A bandwidth can be chosen from two samples or more.", nameof(samples));
        }

        var spread = Statistics.StandardDeviation(values);
        var quartiles = Statistics.InterquartileRange(values) / 1.34;
        var scale = quartiles > 0 ? Math.Min(spread, quartiles) : spread;
        return 0.9 * scale * Math.Pow(values.Length, -0.2);
    }

    /// <summary>From a histogram of <paramref name="samples"/> with one bin per grid point (bin centres as the grid).</summary>
    /// <param name="samples">One coordinate of the samples.</param>
    /// <param name="bins">Number of bins.</param>
    /// <param name="min">Lower edge; the samples' minimum when omitted.</param>
    /// <param name="max">Upper edge; the samples' maximum when omitted.</param>
    public static FreeEnergyProfile FromHistogram(IReadOnlyList<double> samples, int bins = 100, double? min = null, double? max = null)
    {
        var edges = MakeGrid(samples, bins + 1, min, max);
        var width = edges[1] - edges[0];
        var counts = new double[bins];
        foreach (var value in samples)
        {
            var bin = (int)Math.Floor((value - edges[0]) / width);
            if (bin >= 0 && bin <= bins)
            {
                counts[Math.Min(bin, bins - 1)]++;
            }
        }

        var centres = Enumerable.Range(0, bins).Select(i => edges[0] + ((i + 0.5) * width)).ToArray();
        return FromDensity(centres, counts);
    }

    /// <summary>Root-mean-square difference from <paramref name="reference"/> over the grid points where the reference is below <paramref name="cutoff"/> k_B T.</summary>
    /// <param name="reference">A profile on the same grid (for example from MD).</param>
    /// <param name="cutoff">Only points with reference F below this count (the paper's figure uses 3 k_B T).</param>
    public double Rmse(FreeEnergyProfile reference, double cutoff = 3)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference._grid.Length != _grid.Length || reference._grid.Zip(_grid).Any(p => Math.Abs(p.First - p.Second) > 1e-9 * Math.Max(1, Math.Abs(p.First))))
        {
            throw new ArgumentException("Both profiles must be on the same grid; pass the same min, max and point count when making them.", nameof(reference));
        }

        var squares = Enumerable.Range(0, _grid.Length)
            .Where(i => reference._freeEnergy[i] < cutoff)
            .Select(i => Math.Pow(_freeEnergy[i] - reference._freeEnergy[i], 2))
            .ToArray();
        return squares.Length == 0 ? double.NaN : Math.Sqrt(squares.Average());
    }

    /// <summary>
    /// The profile of this density convolved with a Gaussian kernel of standard deviation <paramref name="bandwidth"/>
    /// on the same grid: what a kernel density estimate with that bandwidth would converge to. Compare an exact profile
    /// with a KDE profile of samples only after smoothing it the same way, or the kernel's blur counts as an error.
    /// </summary>
    /// <param name="bandwidth">Kernel standard deviation (positive).</param>
    /// <remarks>The density outside the grid is taken as zero, so the grid should reach where the density is negligible.</remarks>
    public FreeEnergyProfile Smoothed(double bandwidth)
    {
        if (!(bandwidth > 0) || !double.IsFinite(bandwidth))
        {
            throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "The bandwidth must be positive and finite.");
        }

        // Each point's density stands for the cell around it (trapezoid weights), so uneven grids convolve correctly.
        var density = _freeEnergy.Select((f, j) => Math.Exp(-f) * CellWidth(j)).ToArray();
        var smoothed = new double[_grid.Length];
        for (var i = 0; i < _grid.Length; i++)
        {
            for (var j = 0; j < _grid.Length; j++)
            {
                var u = (_grid[i] - _grid[j]) / bandwidth;
                smoothed[i] += density[j] * Math.Exp(-0.5 * u * u);
            }
        }

        return FromDensity(_grid, smoothed);
    }

    /// <summary>
    /// F and dF/dx at any <paramref name="x"/>, in k_B T: the natural cubic spline through the grid values, whose
    /// derivative is the exact derivative of the interpolated F (so it can drive a simulation, as a bias's force does).
    /// For a smooth F on a grid of spacing h the interpolation error is O(h^4) in F and O(h^3) in dF/dx, except within a
    /// few points of the ends, where the spline's zero curvature makes it O(h^2). Outside the grid F keeps its value at the
    /// nearest end and the derivative is 0. Safe to call from several threads at once.
    /// </summary>
    /// <param name="x">A point.</param>
    /// <param name="derivative">Receives dF/dx at <paramref name="x"/>.</param>
    /// <exception cref="InvalidOperationException">F is +infinity somewhere (use <see cref="Capped"/> first), or the grid is not strictly increasing.</exception>
    public double Evaluate(double x, out double derivative) => _spline.Value.Evaluate(x, out derivative);

    /// <summary>
    /// This profile with F above <paramref name="maximum"/>, and +infinity where the density is 0, set to
    /// <paramref name="maximum"/>: finite everywhere, so it can be interpolated (<see cref="Evaluate"/>) and used as a bias.
    /// </summary>
    /// <param name="maximum">The cap, in k_B T (positive).</param>
    public FreeEnergyProfile Capped(double maximum)
    {
        Require.Positive(maximum, nameof(maximum), "give the largest free energy to keep, in k_B T above the minimum of 0");
        var clamped = SplineTables.Clamped(_freeEnergy, maximum, out var problem) ?? throw new InvalidOperationException($"The profile's F {problem}.");
        return new FreeEnergyProfile(_grid, clamped);
    }

    private CubicSplineTable MakeSpline()
    {
        var infinite = _freeEnergy.Count(f => !double.IsFinite(f));
        if (infinite > 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"F is not finite (+infinity where the density is 0) at {infinite} of the {_grid.Length} grid points, which no interpolant passes through: interpolate Capped(maximum) instead, for example Capped(10)."));
        }

        var problem = SplineTables.GridProblem(_grid);
        return problem is null
            ? new CubicSplineTable(_grid, _freeEnergy)
            : throw new InvalidOperationException($"The profile's grid {problem}, so it cannot be interpolated: make the profile on an increasing grid.");
    }

    private double CellWidth(int j) =>
        0.5 * (_grid[Math.Min(j + 1, _grid.Length - 1)] - _grid[Math.Max(j - 1, 0)]);

    private static double[] MakeGrid(IReadOnlyList<double> samples, int points, double? min, double? max)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        if (samples.Count == 0)
        {
            throw new ArgumentException("At least one sample is needed.", nameof(samples));
        }

        var low = min ?? samples.Min();
        var high = max ?? samples.Max();
        if (!(high > low))
        {
            throw new ArgumentException("The grid needs max above min.", nameof(samples));
        }

        return Enumerable.Range(0, points).Select(i => low + ((high - low) * i / (points - 1))).ToArray();
    }

    /// <summary>From log-densities on a grid (for example exact ones from a diffusion prior).</summary>
    internal static FreeEnergyProfile FromLogDensity(double[] grid, double[] logDensity)
    {
        var maximum = logDensity.Max();
        return new FreeEnergyProfile(grid, logDensity.Select(l => maximum - l).ToArray());
    }

    private static FreeEnergyProfile FromDensity(double[] grid, double[] density)
    {
        var freeEnergy = density.Select(p => p > 0 ? -Math.Log(p) : double.PositiveInfinity).ToArray();
        var minimum = freeEnergy.Min();
        for (var i = 0; i < freeEnergy.Length; i++)
        {
            freeEnergy[i] -= minimum;
        }

        return new FreeEnergyProfile(grid, freeEnergy);
    }
}
