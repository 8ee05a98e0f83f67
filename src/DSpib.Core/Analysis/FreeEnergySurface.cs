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
