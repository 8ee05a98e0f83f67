using DSpib.Internal;
using DSpib.Systems.Dynamics;

namespace DSpib.Systems.Biasing;

/// <summary>
/// A static bias from a free energy F(s) tabulated along a one- or two-dimensional collective variable s(x), in k_B T
/// units (as <c>DSpib.Analysis.FreeEnergyProfile</c> and <c>FreeEnergySurface</c> give it, for example the exact ones
/// of the diffusion prior): U_bias(x) = -factor k_B T F(s(x)). With factor 1 the free energy along s is flat, so a
/// simulation crosses the barriers along s as fast as it diffuses; frames are unbiased with the log weight
/// U_bias / k_B T (<see cref="IBias.LogWeight"/>, recorded in <see cref="SimulationResult.LogWeights"/>).
/// </summary>
/// <remarks>
/// F is shifted so that its smallest value is 0 (a constant changes neither the forces nor the normalised weights),
/// capped (<see cref="FreeEnergyBiasOptions.Cap"/>), and interpolated by a natural cubic spline in one dimension and
/// its tensor product (bicubic, twice continuously differentiable) in two; the force is the exact derivative of the
/// interpolated energy, -dU/ds ds/dx through the variable's Jacobian. A cap or +infinity cells make a kink in the table
/// that the spline rounds off, with a small overshoot next to it. Outside the grid the energy is that at the nearest
/// point of the grid (each coordinate beyond it moved to its edge) and the force along that coordinate is 0: choose a
/// grid that covers every value the simulation can reach. The bias does not change after construction, so walkers on
/// several threads share it without locks.
/// </remarks>
public sealed class FreeEnergyBias : IBias, IEnergyAlongVariable
{
    private readonly ICollectiveVariable _cv;
    private readonly CubicSplineTable? _profile;
    private readonly BicubicSplineTable? _surface;
    private readonly double _scale;

    private FreeEnergyBias(ICollectiveVariable cv, FreeEnergyBiasOptions options, CubicSplineTable? profile, BicubicSplineTable? surface)
    {
        _cv = cv;
        Options = options;
        _profile = profile;
        _surface = surface;
        _scale = -options.Factor * options.Temperature;
    }

    /// <summary>The settings.</summary>
    public FreeEnergyBiasOptions Options { get; }

    /// <summary>Number of values of the collective variable (1 for a profile, 2 for a surface).</summary>
    public int Dimension => _cv.Dimension;

    /// <summary>A bias along a one-dimensional variable from a profile F(s_i) (for example <c>profile.Grid</c> and <c>profile.FreeEnergy</c>).</summary>
    /// <param name="cv">A collective variable of one value.</param>
    /// <param name="grid">The points s_i: strictly increasing, finite, at least two.</param>
    /// <param name="freeEnergy">F(s_i) in k_B T, finite or +infinity, one per grid point.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">The variable is not one-dimensional, the grid cannot be interpolated on, or the values do not match it.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    public static FreeEnergyBias FromProfile(ICollectiveVariable cv, IReadOnlyList<double> grid, IReadOnlyList<double> freeEnergy, FreeEnergyBiasOptions options)
    {
        CheckVariableAndOptions(cv, 1, options, "A profile biases a variable of one value", "use FromSurface for a variable of two");
        var points = CheckGrid(grid, nameof(grid));
        ArgumentNullException.ThrowIfNull(freeEnergy);
        if (freeEnergy.Count != points.Length)
        {
            throw new ArgumentException($"Give one free energy per grid point ({points.Length}); got {freeEnergy.Count}.", nameof(freeEnergy));
        }

        var values = Prepare(freeEnergy, options, nameof(freeEnergy));
        return new FreeEnergyBias(cv, options, new CubicSplineTable(points, values), null);
    }

    /// <summary>
    /// A bias along a two-dimensional variable from a surface F(x_i, y_j) (for example <c>surface.X</c>, <c>surface.Y</c>
    /// and <c>surface.ToMatrix()</c>).
    /// </summary>
    /// <param name="cv">A collective variable of two values (x, y).</param>
    /// <param name="x">The points x_i: strictly increasing, finite, at least two.</param>
    /// <param name="y">The points y_j: likewise.</param>
    /// <param name="freeEnergy">F(x_i, y_j) in k_B T, finite or +infinity, as an x by y matrix.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">The variable is not two-dimensional, a grid cannot be interpolated on, or the values do not match the grids.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range.</exception>
    public static FreeEnergyBias FromSurface(ICollectiveVariable cv, IReadOnlyList<double> x, IReadOnlyList<double> y, double[,] freeEnergy, FreeEnergyBiasOptions options)
    {
        CheckVariableAndOptions(cv, 2, options, "A surface biases a variable of two values", "use FromProfile for a variable of one");
        var xPoints = CheckGrid(x, nameof(x));
        var yPoints = CheckGrid(y, nameof(y));
        ArgumentNullException.ThrowIfNull(freeEnergy);
        if (freeEnergy.GetLength(0) != xPoints.Length || freeEnergy.GetLength(1) != yPoints.Length)
        {
            throw new ArgumentException($"Give an x by y matrix of free energies ({xPoints.Length} x {yPoints.Length}, as FreeEnergySurface.ToMatrix() gives it); got {freeEnergy.GetLength(0)} x {freeEnergy.GetLength(1)}.", nameof(freeEnergy));
        }

        var flat = Prepare(freeEnergy.Cast<double>(), options, nameof(freeEnergy));
        var values = new double[xPoints.Length, yPoints.Length];
        Buffer.BlockCopy(flat, 0, values, 0, flat.Length * sizeof(double));
        return new FreeEnergyBias(cv, options, null, new BicubicSplineTable(xPoints, yPoints, values));
    }

    /// <summary>U_bias at a value <paramref name="s"/> of the collective variable, in energy units, with dU_bias/ds_k written to <paramref name="slope"/>.</summary>
    /// <param name="s"><see cref="Dimension"/> values of the variable.</param>
    /// <param name="slope">Receives <see cref="Dimension"/> derivatives.</param>
    public double Energy(ReadOnlySpan<double> s, Span<double> slope)
    {
        if (s.Length != Dimension || slope.Length != Dimension)
        {
            throw new ArgumentException($"Give {Dimension} values of the variable and room for {Dimension} derivatives; got {s.Length} and {slope.Length}.", nameof(s));
        }

        double free;
        if (_profile is not null)
        {
            free = _profile.Evaluate(s[0], out var derivative);
            slope[0] = _scale * derivative;
        }
        else
        {
            free = _surface!.Evaluate(s[0], s[1], out var derivativeX, out var derivativeY);
            slope[0] = _scale * derivativeX;
            slope[1] = _scale * derivativeY;
        }

        return _scale * free;
    }

    /// <inheritdoc />
    public double AddEnergyAndGradient(int walker, ReadOnlySpan<double> position, Span<double> gradient) =>
        VariableBias.AddEnergyAndGradient(this, _cv, walker, position, gradient);

    /// <summary>U_bias / k_B T at <paramref name="position"/>, the same for every walker.</summary>
    /// <param name="walker">The walker's index (unused: the bias is static).</param>
    /// <param name="position">The coordinates of the recorded frame.</param>
    public double LogWeight(int walker, ReadOnlySpan<double> position)
    {
        Span<double> s = stackalloc double[Dimension];
        Span<double> slope = stackalloc double[Dimension];
        _cv.Evaluate(position, s, []);
        return Energy(s, slope) / Options.Temperature;
    }

    double IEnergyAlongVariable.EnergyAndSlope(int walker, ReadOnlySpan<double> s, Span<double> slope) => Energy(s, slope);

    private static void CheckVariableAndOptions(ICollectiveVariable cv, int dimension, FreeEnergyBiasOptions options, string what, string fix)
    {
        ArgumentNullException.ThrowIfNull(cv);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (cv.Dimension != dimension)
        {
            throw new ArgumentException($"{what}; this one has {cv.Dimension}: {fix}.", nameof(cv));
        }
    }

    private static double[] CheckGrid(IReadOnlyList<double> grid, string argument)
    {
        ArgumentNullException.ThrowIfNull(grid, argument);
        var problem = SplineTables.GridProblem(grid);
        return problem is null ? grid.ToArray() : throw new ArgumentException($"The grid {problem}: give at least two finite points in increasing order.", argument);
    }

    /// <summary>The values shifted to minimum 0 and capped.</summary>
    private static double[] Prepare(IEnumerable<double> freeEnergy, FreeEnergyBiasOptions options, string argument)
    {
        var finite = freeEnergy.Where(double.IsFinite).DefaultIfEmpty(0).Min();
        var values = SplineTables.Clamped(freeEnergy.Select(f => f - finite), options.Cap, out var problem);
        return values ?? throw new ArgumentException($"The free energy {problem}.", argument);
    }
}
