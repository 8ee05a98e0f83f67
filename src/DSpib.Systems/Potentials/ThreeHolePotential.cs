namespace DSpib.Systems.Potentials;

/// <summary>
/// The three-hole potential of Metzner, Schuette and Vanden-Eijnden (J. Chem. Phys. 125, 084110, 2006):
/// V(x, y) = 3 exp(-x^2 - (y - 1/3)^2) - 3 exp(-x^2 - (y - 5/3)^2) - 5 exp(-(x - 1)^2 - y^2)
///         - 5 exp(-(x + 1)^2 - y^2) + 0.2 x^4 + 0.2 (y - 1/3)^4.
/// Two deep wells near (±1, 0) and a shallow one near (0, 1.5).
/// </summary>
public sealed class ThreeHolePotential : IPotential
{
    private const double OneThird = 1.0 / 3.0;
    private const double FiveThirds = 5.0 / 3.0;

    private IReadOnlyList<double[]>? _minima;

    /// <inheritdoc />
    public int Dimension => 2;

    /// <summary>V(x, y).</summary>
    /// <param name="x">First coordinate.</param>
    /// <param name="y">Second coordinate.</param>
    public static double Energy(double x, double y) => EnergyAndGradient(x, y, out _, out _);

    /// <summary>V(x, y) and its gradient.</summary>
    /// <param name="x">First coordinate.</param>
    /// <param name="y">Second coordinate.</param>
    /// <param name="dx">dV/dx.</param>
    /// <param name="dy">dV/dy.</param>
    public static double EnergyAndGradient(double x, double y, out double dx, out double dy)
    {
        var x2 = x * x;
        var yLow = y - OneThird;
        var yHigh = y - FiveThirds;
        var barrier = 3 * Math.Exp(-x2 - (yLow * yLow));
        var upper = -3 * Math.Exp(-x2 - (yHigh * yHigh));
        var right = -5 * Math.Exp(-((x - 1) * (x - 1)) - (y * y));
        var left = -5 * Math.Exp(-((x + 1) * (x + 1)) - (y * y));
        var yLow3 = yLow * yLow * yLow;
        dx = (-2 * x * (barrier + upper)) - (2 * (x - 1) * right) - (2 * (x + 1) * left) + (0.8 * x2 * x);
        dy = (-2 * yLow * barrier) - (2 * yHigh * upper) - (2 * y * (right + left)) + (0.8 * yLow3);
        return barrier + upper + right + left + (0.2 * x2 * x2) + (0.2 * yLow3 * yLow);
    }

    /// <inheritdoc />
    public double Energy(ReadOnlySpan<double> position)
    {
        EnsureDimension(position.Length, nameof(position));
        return Energy(position[0], position[1]);
    }

    /// <inheritdoc />
    public double EnergyAndGradient(ReadOnlySpan<double> position, Span<double> gradient)
    {
        EnsureDimension(position.Length, nameof(position));
        var energy = EnergyAndGradient(position[0], position[1], out var dx, out var dy);
        gradient[0] = dx;
        gradient[1] = dy;
        return energy;
    }

    /// <summary>
    /// The three local minima, found by gradient descent from (-1, 0), (1, 0) and (0, 1.5), in the order
    /// <see cref="ThreeHoleWell.Left"/>, <see cref="ThreeHoleWell.Right"/>, <see cref="ThreeHoleWell.Upper"/>.
    /// </summary>
    public IReadOnlyList<double[]> LocalMinima() => _minima ??= new[] { Descend(-1, 0), Descend(1, 0), Descend(0, 1.5) };

    /// <summary>
    /// The well a point belongs to by a simple geometric rule: above y = 0.9 the upper well, otherwise the side of
    /// x = 0. For diagnostics and tests (counting transitions), not a committor.
    /// </summary>
    /// <param name="x">First coordinate.</param>
    /// <param name="y">Second coordinate.</param>
    public static ThreeHoleWell ClassifyWell(double x, double y) =>
        y > 0.9 ? ThreeHoleWell.Upper : x < 0 ? ThreeHoleWell.Left : ThreeHoleWell.Right;

    private static double[] Descend(double x, double y)
    {
        // Plain gradient descent converges: every well is a smooth, isolated quadratic-like basin.
        for (var i = 0; i < 100_000; i++)
        {
            EnergyAndGradient(x, y, out var dx, out var dy);
            if ((dx * dx) + (dy * dy) < 1e-24)
            {
                break;
            }

            x -= 0.01 * dx;
            y -= 0.01 * dy;
        }

        return [x, y];
    }

    private static void EnsureDimension(int length, string argumentName)
    {
        if (length != 2)
        {
            throw new ArgumentException($"The three-hole potential is two-dimensional; got {length} coordinates.", argumentName);
        }
    }
}

/// <summary>The three wells of <see cref="ThreeHolePotential"/>.</summary>
public enum ThreeHoleWell
{
    /// <summary>The deep well near (-1, 0).</summary>
    Left,

    /// <summary>The deep well near (1, 0).</summary>
    Right,

    /// <summary>The shallow well near (0, 1.5).</summary>
    Upper,
}
