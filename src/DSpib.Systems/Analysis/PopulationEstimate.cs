namespace DSpib.Systems.Analysis;

/// <summary>
/// State populations estimated from several independent walkers, with standard errors from the spread between
/// walkers (each walker's time average is one independent estimate when walkers start in equilibrium).
/// </summary>
public sealed class PopulationEstimate
{
    private readonly double[] _mean;
    private readonly double[] _standardError;

    private PopulationEstimate(double[] mean, double[] standardError)
    {
        _mean = mean;
        _standardError = standardError;
    }

    /// <summary>Fraction of all frames in each state.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Standard error of each fraction: the standard deviation of the walkers' fractions over sqrt(walkers); NaN for one walker.</summary>
    public IReadOnlyList<double> StandardError => _standardError;

    /// <summary>Estimates populations from each walker's per-frame states.</summary>
    /// <param name="statesPerWalker">One array of state indices per walker (all of the same length).</param>
    /// <param name="stateCount">Number of states.</param>
    public static PopulationEstimate FromWalkers(IReadOnlyList<int[]> statesPerWalker, int stateCount)
    {
        ArgumentNullException.ThrowIfNull(statesPerWalker);
        ArgumentOutOfRangeException.ThrowIfLessThan(stateCount, 1);
        if (statesPerWalker.Count == 0 || statesPerWalker.Any(s => s is null || s.Length == 0) || statesPerWalker.Select(s => s.Length).Distinct().Count() != 1)
        {
            throw new ArgumentException("Give at least one walker, each with the same positive number of frames.", nameof(statesPerWalker));
        }

        var walkers = statesPerWalker.Count;
        var fractions = new double[walkers, stateCount];
        for (var w = 0; w < walkers; w++)
        {
            foreach (var state in statesPerWalker[w])
            {
                if (state < 0 || state >= stateCount)
                {
                    throw new ArgumentOutOfRangeException(nameof(statesPerWalker), state, $"State indices must be in 0..{stateCount - 1}.");
                }

                fractions[w, state]++;
            }

            for (var k = 0; k < stateCount; k++)
            {
                fractions[w, k] /= statesPerWalker[w].Length;
            }
        }

        var mean = new double[stateCount];
        var standardError = new double[stateCount];
        for (var k = 0; k < stateCount; k++)
        {
            var column = Enumerable.Range(0, walkers).Select(w => fractions[w, k]).ToArray();
            mean[k] = column.Average();
            standardError[k] = walkers > 1 ? MathNet.Numerics.Statistics.Statistics.StandardDeviation(column) / Math.Sqrt(walkers) : double.NaN;
        }

        return new PopulationEstimate(mean, standardError);
    }
}
