namespace DSpib.Samples.AlanineDipeptide;

/// <summary>
/// Weighted free energies for the comparison: MBAR and the model's reweighting weight their frames, MD and generated
/// samples weigh alike. F = -ln p in k_B T, minimum 0, positive infinity where nothing was seen.
/// </summary>
internal static class Profiles
{
    /// <summary>F along one coordinate from a Gaussian kernel density estimate with optional weights (null: equal).</summary>
    public static double[] Kde(IReadOnlyList<double> values, IReadOnlyList<double>? weights, double[] grid, double bandwidth)
    {
        var density = new double[grid.Length];
        var scale = -0.5 / (bandwidth * bandwidth);
        for (var n = 0; n < values.Count; n++)
        {
            var weight = weights?[n] ?? 1.0;
            if (weight == 0)
            {
                continue;
            }

            for (var i = 0; i < grid.Length; i++)
            {
                var d = grid[i] - values[n];
                density[i] += weight * Math.Exp(scale * d * d);
            }
        }

        return ToFreeEnergy(density);
    }

    /// <summary>F on the (phi, psi) plane: a bins x bins histogram over [-180, 180) degrees, indexed [phi][psi].</summary>
    public static double[][] AngleSurface(IReadOnlyList<double> phi, IReadOnlyList<double> psi, IReadOnlyList<double>? weights, int bins)
    {
        var mass = new double[bins * bins];
        for (var n = 0; n < phi.Count; n++)
        {
            mass[(Bin(phi[n], bins) * bins) + Bin(psi[n], bins)] += weights?[n] ?? 1.0;
        }

        var f = ToFreeEnergy(mass);
        return Enumerable.Range(0, bins).Select(i => f[(i * bins)..((i + 1) * bins)]).ToArray();
    }

    /// <summary>The centres of the angle bins, in degrees.</summary>
    public static double[] AngleCentres(int bins) => Enumerable.Range(0, bins).Select(i => -180 + (360.0 * (i + 0.5) / bins)).ToArray();

    /// <summary>RMSE of <paramref name="estimate"/> against <paramref name="reference"/> where the reference is below <paramref name="cutoff"/>; NaN if the estimate is infinite at any such point.</summary>
    public static double Rmse(double[] estimate, double[] reference, double cutoff)
    {
        var squares = Enumerable.Range(0, reference.Length).Where(i => reference[i] < cutoff).Select(i => Math.Pow(estimate[i] - reference[i], 2)).ToArray();
        return squares.Length == 0 ? double.NaN : Math.Sqrt(squares.Average());
    }

    /// <summary>
    /// RMSE of two surfaces over the bins where the reference is below <paramref name="cutoff"/> and the estimate is
    /// finite, and the number of such reference bins the estimate never visited (left out of the RMSE).
    /// </summary>
    public static (double Rmse, int Missing) SurfaceRmse(double[][] estimate, double[][] reference, double cutoff)
    {
        var squares = new List<double>();
        var missing = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            for (var j = 0; j < reference[i].Length; j++)
            {
                if (!(reference[i][j] < cutoff))
                {
                    continue;
                }

                if (double.IsFinite(estimate[i][j]))
                {
                    squares.Add(Math.Pow(estimate[i][j] - reference[i][j], 2));
                }
                else
                {
                    missing++;
                }
            }
        }

        return (squares.Count == 0 ? double.NaN : Math.Sqrt(squares.Average()), missing);
    }

    private static int Bin(double degrees, int bins)
    {
        var wrapped = degrees - (360 * Math.Floor((degrees + 180) / 360));
        return Math.Clamp((int)Math.Floor((wrapped + 180) / 360 * bins), 0, bins - 1);
    }

    private static double[] ToFreeEnergy(double[] density)
    {
        var max = density.Max();
        return density.Select(p => p > 0 ? -Math.Log(p / max) : double.PositiveInfinity).ToArray();
    }
}
