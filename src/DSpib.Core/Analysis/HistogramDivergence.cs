namespace DSpib.Analysis;

/// <summary>
/// Divergences between two sets of 2-D samples (for example encoded validation frames and generated latent samples)
/// estimated from histograms on one common grid.
/// </summary>
public static class HistogramDivergence
{
    /// <summary>
    /// 1/2 [KL(P || Q) + KL(Q || P)] between the histograms of two sample sets, both binned on one grid spanning the
    /// range of both sets, with <paramref name="epsilon"/> added to every bin of both and each renormalised.
    /// </summary>
    /// <param name="first">Samples x 2.</param>
    /// <param name="second">Samples x 2.</param>
    /// <param name="bins">Bins along each axis (reference 100).</param>
    /// <param name="epsilon">Added to every bin probability so that empty bins give finite logarithms (reference 1e-10).</param>
    /// <param name="range">
    /// The grid's extent; by default the range of both sets. Give one range to several comparisons (for example a
    /// model's samples against data, and the data's own floor) so that all are measured on the same grid. A sample
    /// outside it is refused, unless <paramref name="clampToRange"/> says to count it in the nearest edge bin.
    /// </param>
    /// <param name="clampToRange">
    /// Count samples outside <paramref name="range"/> in the nearest edge bin instead of refusing them: the edge bins then
    /// stand for everything beyond them. Off by default, so that no sample is moved silently.
    /// </param>
    /// <remarks>
    /// The estimate is biased upwards by finite samples (two sample sets from one distribution do not score 0): report
    /// the score of two independent sets of the same sizes from the reference distribution next to it.
    /// </remarks>
    public static double SymmetrizedKl(double[,] first, double[,] second, int bins = 100, double epsilon = 1e-10, HistogramRange? range = null, bool clampToRange = false)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        if (!(epsilon > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be positive.");
        }

        if (first.GetLength(1) != 2 || second.GetLength(1) != 2)
        {
            throw new ArgumentException("Both sample sets need two columns (2-D latent samples).", nameof(second));
        }

        if (first.GetLength(0) == 0 || second.GetLength(0) == 0)
        {
            throw new ArgumentException("Both sample sets need at least one sample.", nameof(second));
        }

        var (xMin, xMax) = Range(first, second, 0);
        var (yMin, yMax) = Range(first, second, 1);
        if (range is { } given)
        {
            if (!(given.XMax > given.XMin) || !(given.YMax > given.YMin) || !double.IsFinite(given.XMax - given.XMin) || !double.IsFinite(given.YMax - given.YMin))
            {
                throw new ArgumentException("The range needs finite bounds with XMax above XMin and YMax above YMin; HistogramRange.Covering(sets) makes one from data.", nameof(range));
            }

            (xMin, xMax, yMin, yMax) = (given.XMin, given.XMax, given.YMin, given.YMax);
        }

        var grid = new HistogramRange(xMin, xMax, yMin, yMax);
        var p = Probabilities(Histogram2D.Counts(first, bins, grid, clampToRange, nameof(first)), first.GetLength(0), epsilon);
        var q = Probabilities(Histogram2D.Counts(second, bins, grid, clampToRange, nameof(second)), second.GetLength(0), epsilon);
        double forward = 0, backward = 0;
        for (var i = 0; i < p.Length; i++)
        {
            forward += p[i] * Math.Log(p[i] / q[i]);
            backward += q[i] * Math.Log(q[i] / p[i]);
        }

        return 0.5 * (forward + backward);
    }

    private static (double Min, double Max) Range(double[,] first, double[,] second, int column)
    {
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var set in new[] { first, second })
        {
            for (var n = 0; n < set.GetLength(0); n++)
            {
                var value = set[n, column];
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"A sample has a non-finite coordinate ({value}) in column {column}.", nameof(first));
                }

                min = Math.Min(min, value);
                max = Math.Max(max, value);
            }
        }

        return max > min ? (min, max) : (min - 0.5, max + 0.5);
    }

    /// <summary>Bin probabilities with <paramref name="epsilon"/> added to each, renormalised.</summary>
    private static double[] Probabilities(double[,] counts, int samples, double epsilon)
    {
        var probabilities = new double[counts.Length];
        var total = 0.0;
        var k = 0;
        foreach (var count in counts)
        {
            probabilities[k] = (count / samples) + epsilon;
            total += probabilities[k++];
        }

        for (k = 0; k < probabilities.Length; k++)
        {
            probabilities[k] /= total;
        }

        return probabilities;
    }
}

/// <summary>The extent of a two-dimensional histogram grid.</summary>
/// <param name="XMin">Lower edge along the first coordinate.</param>
/// <param name="XMax">Upper edge along the first coordinate (above <paramref name="XMin"/>).</param>
/// <param name="YMin">Lower edge along the second coordinate.</param>
/// <param name="YMax">Upper edge along the second coordinate (above <paramref name="YMin"/>).</param>
public sealed record HistogramRange(double XMin, double XMax, double YMin, double YMax)
{
    /// <summary>The range of every given sample set together, widened by <paramref name="margin"/> of its width on each side.</summary>
    /// <param name="sets">Sample sets of two columns.</param>
    /// <param name="margin">Fraction of the width added on each side (0 for none).</param>
    public static HistogramRange Covering(IEnumerable<double[,]> sets, double margin = 0)
    {
        ArgumentNullException.ThrowIfNull(sets);
        double xMin = double.PositiveInfinity, xMax = double.NegativeInfinity, yMin = double.PositiveInfinity, yMax = double.NegativeInfinity;
        foreach (var set in sets)
        {
            for (var n = 0; n < set.GetLength(0); n++)
            {
                (xMin, xMax) = (Math.Min(xMin, set[n, 0]), Math.Max(xMax, set[n, 0]));
                (yMin, yMax) = (Math.Min(yMin, set[n, 1]), Math.Max(yMax, set[n, 1]));
            }
        }

        if (!(xMax > xMin) || !(yMax > yMin))
        {
            throw new ArgumentException("The sample sets need some spread along both coordinates to define a grid.", nameof(sets));
        }

        var (dx, dy) = (margin * (xMax - xMin), margin * (yMax - yMin));
        return new HistogramRange(xMin - dx, xMax + dx, yMin - dy, yMax + dy);
    }
}
