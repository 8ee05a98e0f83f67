using System.Globalization;

namespace DSpib.Analysis;

/// <summary>Two-dimensional histograms on a regular grid, shared by the divergences and the histogram free energies.</summary>
internal static class Histogram2D
{
    /// <summary>
    /// Counts [x bin, y bin] of <paramref name="samples"/> (n x 2) on <paramref name="bins"/> x <paramref name="bins"/>
    /// cells over <paramref name="range"/> (a sample on an upper edge counts in the last bin). A sample outside the range
    /// is counted in the nearest edge bin when <paramref name="clamp"/> is set, and refused otherwise.
    /// </summary>
    public static double[,] Counts(double[,] samples, int bins, HistogramRange range, bool clamp, string argumentName)
    {
        var counts = new double[bins, bins];
        var outside = 0;
        for (var n = 0; n < samples.GetLength(0); n++)
        {
            var (x, y) = (samples[n, 0], samples[n, 1]);
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Sample {n} has a non-finite coordinate ({x}, {y})."), argumentName);
            }

            var i = (int)Math.Floor((x - range.XMin) / (range.XMax - range.XMin) * bins);
            var j = (int)Math.Floor((y - range.YMin) / (range.YMax - range.YMin) * bins);
            if (x > range.XMax || y > range.YMax || i < 0 || j < 0)
            {
                outside++;
                if (!clamp)
                {
                    continue;
                }
            }

            counts[Math.Clamp(i, 0, bins - 1), Math.Clamp(j, 0, bins - 1)]++;
        }

        if (outside > 0 && !clamp)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{outside} of {samples.GetLength(0)} samples lie outside the histogram range [{range.XMin:G4}, {range.XMax:G4}] x [{range.YMin:G4}, {range.YMax:G4}]; widen it (HistogramRange.Covering of every set), or count them in the edge bins with clampToRange: true."),
                argumentName);
        }

        return counts;
    }
}
