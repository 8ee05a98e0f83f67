using DSpib.Systems.Potentials;

namespace DSpib.Systems.Analysis;

/// <summary>
/// Boltzmann weights exp(-V / k_B T) on a regular 2-D grid, normalised to sum 1: the ground truth against which
/// populations estimated from simulations are checked. Assign the grid points to states (for example with a trained
/// model) and call <see cref="Populations"/>.
/// </summary>
public sealed class BoltzmannGrid
{
    private readonly double[,] _points;
    private readonly double[] _weights;

    private BoltzmannGrid(double[,] points, double[] weights, int nx, int ny, double cellWidth, double cellHeight)
    {
        _points = points;
        _weights = weights;
        Columns = nx;
        Rows = ny;
        CellWidth = cellWidth;
        CellHeight = cellHeight;
    }

    /// <summary>Width of a grid cell along x.</summary>
    public double CellWidth { get; }

    /// <summary>Height of a grid cell along y.</summary>
    public double CellHeight { get; }

    /// <summary>Grid points along x.</summary>
    public int Columns { get; }

    /// <summary>Grid points along y.</summary>
    public int Rows { get; }

    /// <summary>Number of grid points.</summary>
    public int Count => _weights.Length;

    /// <summary>
    /// Evaluates the weights on an <paramref name="nx"/> x <paramref name="ny"/> grid of cell centres over the given ranges
    /// (defaults cover the three-hole potential, whose weight outside them is negligible at k_B T up to 1).
    /// </summary>
    /// <param name="potential">A two-dimensional potential.</param>
    /// <param name="temperature">k_B T (positive).</param>
    /// <param name="xMin">Lower x bound.</param>
    /// <param name="xMax">Upper x bound.</param>
    /// <param name="yMin">Lower y bound.</param>
    /// <param name="yMax">Upper y bound.</param>
    /// <param name="nx">Points along x (at least 2).</param>
    /// <param name="ny">Points along y (at least 2).</param>
    public static BoltzmannGrid Create(IPotential potential, double temperature, double xMin = -2.5, double xMax = 2.5, double yMin = -1.5, double yMax = 2.5, int nx = 400, int ny = 400)
    {
        ArgumentNullException.ThrowIfNull(potential);
        if (potential.Dimension != 2)
        {
            throw new ArgumentException($"A Boltzmann grid needs a two-dimensional potential; this one has {potential.Dimension} coordinates.", nameof(potential));
        }

        if (!double.IsFinite(temperature) || temperature <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "k_B T must be positive and finite.");
        }

        if (!(xMax > xMin) || !(yMax > yMin))
        {
            throw new ArgumentException("Each range needs its maximum above its minimum.", nameof(xMax));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(nx, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(ny, 2);
        var points = new double[nx * ny, 2];
        var energies = new double[nx * ny];
        var dx = (xMax - xMin) / nx;
        var dy = (yMax - yMin) / ny;
        var minimum = double.PositiveInfinity;
        for (var j = 0; j < ny; j++)
        {
            for (var i = 0; i < nx; i++)
            {
                var index = (j * nx) + i;
                points[index, 0] = xMin + ((i + 0.5) * dx);
                points[index, 1] = yMin + ((j + 0.5) * dy);
                energies[index] = potential.Energy([points[index, 0], points[index, 1]]);
                minimum = Math.Min(minimum, energies[index]);
            }
        }

        // Shift by the minimum before exponentiating so low temperatures do not underflow.
        var weights = energies.Select(e => Math.Exp(-(e - minimum) / temperature)).ToArray();
        var total = weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= total;
        }

        return new BoltzmannGrid(points, weights, nx, ny, dx, dy);
    }

    /// <summary>The grid points as a Count x 2 matrix (x varies fastest).</summary>
    public double[,] Points() => (double[,])_points.Clone();

    /// <summary>The normalised Boltzmann weight of each grid point (sums to 1).</summary>
    public double[] Weights() => (double[])_weights.Clone();

    /// <summary>
    /// Draws <paramref name="count"/> points from the (gridded) Boltzmann distribution: a cell with probability equal
    /// to its weight, then a uniform position inside it. Starting walkers from such points puts them in equilibrium at
    /// once, so no well is over- or under-represented by where the walkers began.
    /// </summary>
    /// <param name="count">Number of points (at least 1).</param>
    /// <param name="seed">Seed of the draw.</param>
    public double[][] Sample(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var random = new MathNet.Numerics.Random.Xoshiro256StarStar(seed);
        var cumulative = new double[_weights.Length];
        var sum = 0.0;
        for (var i = 0; i < _weights.Length; i++)
        {
            sum += _weights[i];
            cumulative[i] = sum;
        }

        var samples = new double[count][];
        for (var n = 0; n < count; n++)
        {
            var index = Array.BinarySearch(cumulative, random.NextDouble() * sum);
            index = Math.Min(index < 0 ? ~index : index, _weights.Length - 1);
            samples[n] =
            [
                _points[index, 0] + ((random.NextDouble() - 0.5) * CellWidth),
                _points[index, 1] + ((random.NextDouble() - 0.5) * CellHeight),
            ];
        }

        return samples;
    }

    /// <summary>The Boltzmann population of each state, given every grid point's state.</summary>
    /// <param name="assignment">A state index in 0..stateCount-1 for every grid point.</param>
    /// <param name="stateCount">Number of states.</param>
    public double[] Populations(IReadOnlyList<int> assignment, int stateCount)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateCount, 1);
        if (assignment.Count != _weights.Length)
        {
            throw new ArgumentException($"Give one state per grid point ({_weights.Length}); got {assignment.Count}.", nameof(assignment));
        }

        var populations = new double[stateCount];
        for (var i = 0; i < _weights.Length; i++)
        {
            var state = assignment[i];
            if (state < 0 || state >= stateCount)
            {
                throw new ArgumentOutOfRangeException(nameof(assignment), state, $"State indices must be in 0..{stateCount - 1}.");
            }

            populations[state] += _weights[i];
        }

        return populations;
    }
}
