namespace DSpib.Systems.Biasing;

/// <summary>Unbiased estimates from biased frames with log weights (as <see cref="Dynamics.SimulationResult.LogWeights"/> records them).</summary>
public static class Reweighting
{
    /// <summary>Normalised weights exp(log w) / sum exp(log w) of all frames, walker after walker.</summary>
    /// <param name="logWeights">Log weights, one array per walker.</param>
    public static double[] Weights(IReadOnlyList<double[]> logWeights)
    {
        ArgumentNullException.ThrowIfNull(logWeights);
        var all = logWeights.SelectMany(w => w).ToArray();
        if (all.Length == 0)
        {
            throw new ArgumentException("Give at least one frame.", nameof(logWeights));
        }

        var max = all.Max();
        var weights = all.Select(w => Math.Exp(w - max)).ToArray();
        var total = weights.Sum();
        return weights.Select(w => w / total).ToArray();
    }

    /// <summary>
    /// The free energy F(s) = -k_B T ln p(s) of the weighted histogram of <paramref name="values"/> on
    /// <paramref name="bins"/> equal bins of [<paramref name="minimum"/>, <paramref name="maximum"/>], shifted to minimum 0;
    /// bins with no weight are +infinity. Values outside the range are left out.
    /// </summary>
    /// <param name="values">One value of the variable per frame.</param>
    /// <param name="weights">One weight per frame (for example <see cref="Weights"/>).</param>
    /// <param name="minimum">Lower end of the range.</param>
    /// <param name="maximum">Upper end of the range.</param>
    /// <param name="bins">Number of bins (at least 1).</param>
    /// <param name="temperature">k_B T (positive).</param>
    /// <returns>The bin centres and F at each.</returns>
    public static (double[] Centres, double[] FreeEnergy) FreeEnergyProfile(IReadOnlyList<double> values, IReadOnlyList<double> weights, double minimum, double maximum, int bins, double temperature)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (values.Count != weights.Count)
        {
            throw new ArgumentException($"Give one weight per value ({values.Count}); got {weights.Count}.", nameof(weights));
        }

        if (!(maximum > minimum))
        {
            throw new ArgumentException("The range needs its maximum above its minimum.", nameof(maximum));
        }

        var width = (maximum - minimum) / bins;
        var histogram = new double[bins];
        for (var n = 0; n < values.Count; n++)
        {
            var bin = (int)Math.Floor((values[n] - minimum) / width);
            if (bin >= 0 && bin < bins)
            {
                histogram[bin] += weights[n];
            }
        }

        var free = histogram.Select(h => h > 0 ? -temperature * Math.Log(h) : double.PositiveInfinity).ToArray();
        var lowest = free.Min();
        return (Enumerable.Range(0, bins).Select(b => minimum + ((b + 0.5) * width)).ToArray(), free.Select(f => f - lowest).ToArray());
    }
}
