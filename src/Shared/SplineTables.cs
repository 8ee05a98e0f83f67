using MathNet.Numerics.Interpolation;

// DSpib.Core (free-energy profiles and surfaces) and DSpib.Systems (biases built from their tables) interpolate the
// same way, and neither package references the other (DSpib.Systems carries no TorchSharp), so both compile this file.
namespace DSpib.Internal;

/// <summary>Checks and preparation of the tables that <see cref="CubicSplineTable"/> and <see cref="BicubicSplineTable"/> interpolate.</summary>
internal static class SplineTables
{
    /// <summary>Why <paramref name="grid"/> cannot be interpolated on, or <see langword="null"/> when it can.</summary>
    public static string? GridProblem(IReadOnlyList<double> grid)
    {
        if (grid.Count < 2)
        {
            return $"has {grid.Count} points; a spline needs at least two";
        }

        for (var i = 0; i < grid.Count; i++)
        {
            if (!double.IsFinite(grid[i]))
            {
                return $"has a non-finite point at index {i}";
            }

            if (i > 0 && !(grid[i] > grid[i - 1]))
            {
                return $"is not strictly increasing at index {i} ({grid[i - 1]} then {grid[i]})";
            }
        }

        return null;
    }

    /// <summary>
    /// <paramref name="values"/> with every value above <paramref name="cap"/>, and every +infinity, set to the cap; without
    /// a cap, +infinity is set to the largest finite value. Returns <see langword="null"/> with a reason when a value is
    /// NaN or -infinity, or when no value is finite and there is no cap.
    /// </summary>
    public static double[]? Clamped(IEnumerable<double> values, double? cap, out string? problem)
    {
        var result = values.ToArray();
        var largest = double.NegativeInfinity;
        for (var i = 0; i < result.Length; i++)
        {
            if (double.IsNaN(result[i]) || double.IsNegativeInfinity(result[i]))
            {
                problem = $"holds {result[i]} at index {i}; free energies are finite or +infinity";
                return null;
            }

            if (double.IsFinite(result[i]))
            {
                largest = Math.Max(largest, result[i]);
            }
        }

        var ceiling = cap ?? largest;
        if (double.IsNegativeInfinity(ceiling))
        {
            problem = "is +infinity everywhere, so there is no finite value to clamp to; give a cap";
            return null;
        }

        for (var i = 0; i < result.Length; i++)
        {
            result[i] = Math.Min(result[i], ceiling);
        }

        problem = null;
        return result;
    }

    /// <summary>Natural cubic spline derivatives at the nodes of <paramref name="grid"/> for the values <paramref name="value"/>(i).</summary>
    public static double[] NodeDerivatives(double[] grid, Func<int, double> value)
    {
        var spline = CubicSpline.InterpolateNaturalSorted(grid, Enumerable.Range(0, grid.Length).Select(value).ToArray());
        return grid.Select(spline.Differentiate).ToArray();
    }

    /// <summary>
    /// The cell [grid[i], grid[i + 1]] of <paramref name="s"/>, which is moved to the nearest end of the grid when it is
    /// outside (<paramref name="outside"/> is then true).
    /// </summary>
    public static int Cell(double[] grid, ref double s, out bool outside)
    {
        outside = s < grid[0] || s > grid[^1];
        s = Math.Clamp(s, grid[0], grid[^1]);
        var index = Array.BinarySearch(grid, s);
        var cell = index >= 0 ? index : ~index - 1;
        return Math.Clamp(cell, 0, grid.Length - 2);
    }
}

/// <summary>
/// The cubic Hermite basis on a cell of width h at t = (s - s_i) / h: the weights of the end values (<see cref="Value0"/>,
/// <see cref="Value1"/>) and end slopes (<see cref="Slope0"/>, <see cref="Slope1"/>), and their derivatives with respect to s.
/// </summary>
internal readonly struct HermiteBasis
{
    public HermiteBasis(double t, double h)
    {
        var t2 = t * t;
        var t3 = t2 * t;
        Value0 = (2 * t3) - (3 * t2) + 1;
        Value1 = (3 * t2) - (2 * t3);
        Slope0 = h * (t3 - (2 * t2) + t);
        Slope1 = h * (t3 - t2);
        DValue0 = 6 * (t2 - t) / h;
        DValue1 = -DValue0;
        DSlope0 = (3 * t2) - (4 * t) + 1;
        DSlope1 = (3 * t2) - (2 * t);
    }

    public double Value0 { get; }

    public double Value1 { get; }

    public double Slope0 { get; }

    public double Slope1 { get; }

    public double DValue0 { get; }

    public double DValue1 { get; }

    public double DSlope0 { get; }

    public double DSlope1 { get; }

    /// <summary>The interpolant from end values and slopes.</summary>
    public double Combine(double value0, double value1, double slope0, double slope1) =>
        (Value0 * value0) + (Value1 * value1) + (Slope0 * slope0) + (Slope1 * slope1);

    /// <summary>Its derivative with respect to s.</summary>
    public double CombineDerivative(double value0, double value1, double slope0, double slope1) =>
        (DValue0 * value0) + (DValue1 * value1) + (DSlope0 * slope0) + (DSlope1 * slope1);
}

/// <summary>
/// The natural cubic spline through a table f(s_i) on a strictly increasing grid, with its exact derivative. Outside the
/// grid the value is that at the nearest end and the derivative is 0. Immutable, so safe to share between threads.
/// </summary>
internal sealed class CubicSplineTable
{
    private readonly double[] _grid;
    private readonly double[] _values;
    private readonly double[] _slopes;

    /// <param name="grid">Strictly increasing, finite, at least two points (see <see cref="SplineTables.GridProblem"/>).</param>
    /// <param name="values">Finite, one per grid point.</param>
    public CubicSplineTable(double[] grid, double[] values)
    {
        _grid = grid;
        _values = values;
        _slopes = SplineTables.NodeDerivatives(grid, i => values[i]);
    }

    public double Evaluate(double s, out double derivative)
    {
        if (double.IsNaN(s))
        {
            derivative = double.NaN;
            return double.NaN;
        }

        var i = SplineTables.Cell(_grid, ref s, out var outside);
        var h = _grid[i + 1] - _grid[i];
        var basis = new HermiteBasis((s - _grid[i]) / h, h);
        derivative = outside ? 0 : basis.CombineDerivative(_values[i], _values[i + 1], _slopes[i], _slopes[i + 1]);
        return basis.Combine(_values[i], _values[i + 1], _slopes[i], _slopes[i + 1]);
    }
}

/// <summary>
/// The tensor-product natural cubic spline through a table f(x_i, y_j) (a natural spline along x of natural splines along
/// y), with its exact gradient. On each cell it is the bicubic with the spline's f, df/dx, df/dy and d2f/dxdy at the four
/// corners, so it is twice continuously differentiable. Outside the grid each coordinate beyond it is moved to the
/// nearest edge, where the gradient along it is 0. Immutable, so safe to share between threads.
/// </summary>
internal sealed class BicubicSplineTable
{
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[,] _f;
    private readonly double[,] _fx;
    private readonly double[,] _fy;
    private readonly double[,] _fxy;

    /// <param name="x">Strictly increasing, finite, at least two points.</param>
    /// <param name="y">Likewise.</param>
    /// <param name="values">Finite, x by y.</param>
    public BicubicSplineTable(double[] x, double[] y, double[,] values)
    {
        _x = x;
        _y = y;
        _f = values;
        _fx = new double[x.Length, y.Length];
        _fy = new double[x.Length, y.Length];
        _fxy = new double[x.Length, y.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var slopes = SplineTables.NodeDerivatives(y, j => values[i, j]);
            for (var j = 0; j < y.Length; j++)
            {
                _fy[i, j] = slopes[j];
            }
        }

        for (var j = 0; j < y.Length; j++)
        {
            var slopes = SplineTables.NodeDerivatives(x, i => values[i, j]);
            var cross = SplineTables.NodeDerivatives(x, i => _fy[i, j]);
            for (var i = 0; i < x.Length; i++)
            {
                _fx[i, j] = slopes[i];
                _fxy[i, j] = cross[i];
            }
        }
    }

    public double Evaluate(double x, double y, out double derivativeX, out double derivativeY)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            derivativeX = derivativeY = double.NaN;
            return double.NaN;
        }

        var i = SplineTables.Cell(_x, ref x, out var outsideX);
        var j = SplineTables.Cell(_y, ref y, out var outsideY);
        var hx = _x[i + 1] - _x[i];
        var hy = _y[j + 1] - _y[j];
        var a = new HermiteBasis((x - _x[i]) / hx, hx);
        var b = new HermiteBasis((y - _y[j]) / hy, hy);

        // Along y first at the cell's two x nodes (values and x-slopes), then along x.
        var value0 = b.Combine(_f[i, j], _f[i, j + 1], _fy[i, j], _fy[i, j + 1]);
        var value1 = b.Combine(_f[i + 1, j], _f[i + 1, j + 1], _fy[i + 1, j], _fy[i + 1, j + 1]);
        var slope0 = b.Combine(_fx[i, j], _fx[i, j + 1], _fxy[i, j], _fxy[i, j + 1]);
        var slope1 = b.Combine(_fx[i + 1, j], _fx[i + 1, j + 1], _fxy[i + 1, j], _fxy[i + 1, j + 1]);
        var dValue0 = b.CombineDerivative(_f[i, j], _f[i, j + 1], _fy[i, j], _fy[i, j + 1]);
        var dValue1 = b.CombineDerivative(_f[i + 1, j], _f[i + 1, j + 1], _fy[i + 1, j], _fy[i + 1, j + 1]);
        var dSlope0 = b.CombineDerivative(_fx[i, j], _fx[i, j + 1], _fxy[i, j], _fxy[i, j + 1]);
        var dSlope1 = b.CombineDerivative(_fx[i + 1, j], _fx[i + 1, j + 1], _fxy[i + 1, j], _fxy[i + 1, j + 1]);
        derivativeX = outsideX ? 0 : a.CombineDerivative(value0, value1, slope0, slope1);
        derivativeY = outsideY ? 0 : a.Combine(dValue0, dValue1, dSlope0, dSlope1);
        return a.Combine(value0, value1, slope0, slope1);
    }
}
