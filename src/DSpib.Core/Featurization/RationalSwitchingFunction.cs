namespace DSpib.Featurization;

/// <summary>
/// PLUMED's rational switching function, s(r) = (1 - x^n) / (1 - x^m) with x = (r - d0) / r0, and s = 1 for r &lt;= d0:
/// about 1 for a contact (r well below d0 + r0), n/m at r = d0 + r0, and decaying to 0 beyond.
/// </summary>
/// <remarks>
/// As in PLUMED's <c>RATIONAL</c> switching function (its manual, "switchingfunction"), with whole exponents n and m
/// (default m = 2n, which makes s = 1 / (1 + x^n)). The value is computed as the ratio of the geometric sums
/// 1 + x + ... + x^(n-1) and 1 + x + ... + x^(m-1), which equals the formula everywhere and has no 0/0 at x = 1.
/// </remarks>
public sealed class RationalSwitchingFunction
{
    /// <summary>Makes the function.</summary>
    /// <param name="r0">The switching distance r_0 (nm), positive.</param>
    /// <param name="n">The exponent of the numerator, at least 1 (PLUMED's NN; 6 by default).</param>
    /// <param name="m">The exponent of the denominator, greater than n (PLUMED's MM); 2n when omitted.</param>
    /// <param name="d0">The distance below which s = 1 (PLUMED's D_0; 0 by default).</param>
    public RationalSwitchingFunction(double r0, int n = 6, int? m = null, double d0 = 0)
    {
        if (!(r0 > 0) || !double.IsFinite(r0))
        {
            throw new ArgumentOutOfRangeException(nameof(r0), r0, "r0 must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        var denominator = m ?? 2 * n;
        if (denominator <= n)
        {
            throw new ArgumentOutOfRangeException(nameof(m), denominator, $"m must be greater than n ({n}) for s to decay.");
        }

        if (!(d0 >= 0) || !double.IsFinite(d0))
        {
            throw new ArgumentOutOfRangeException(nameof(d0), d0, "d0 must be zero or positive.");
        }

        R0 = r0;
        N = n;
        M = denominator;
        D0 = d0;
    }

    /// <summary>The switching distance r_0 (nm).</summary>
    public double R0 { get; }

    /// <summary>The exponent of the numerator.</summary>
    public int N { get; }

    /// <summary>The exponent of the denominator.</summary>
    public int M { get; }

    /// <summary>The distance below which s = 1 (nm).</summary>
    public double D0 { get; }

    /// <summary>s(r).</summary>
    /// <param name="r">Distance (nm).</param>
    public double Value(double r) => Evaluate(r).Value;

    /// <summary>ds/dr.</summary>
    /// <param name="r">Distance (nm).</param>
    public double Derivative(double r) => Evaluate(r).Derivative;

    internal (double Value, double Derivative) Evaluate(double r)
    {
        if (r <= D0)
        {
            return (1, 0);
        }

        var x = (r - D0) / R0;
        var (p, dp) = GeometricSum(x, N);
        var (q, dq) = GeometricSum(x, M);
        if (!double.IsFinite(q * q))
        {
            return (0, 0); // far beyond r0: s ~ x^(n-m) is below double precision
        }

        return (p / q, ((dp * q) - (p * dq)) / (q * q) / R0);
    }

    /// <summary>1 + x + ... + x^(k-1) and its derivative.</summary>
    private static (double Sum, double Derivative) GeometricSum(double x, int k)
    {
        double sum = 1, derivative = 0, power = 1;
        for (var j = 1; j < k; j++)
        {
            derivative += j * power; // j x^(j-1)
            power *= x;
            sum += power;
        }

        return (sum, derivative);
    }
}
