using System.Globalization;
using DSpib.Data.IO;

namespace DSpib.Samples.AlanineDipeptide;

/// <summary>
/// One temperature of the data set: descriptors (sin/cos of phi and psi, then the 45 heavy-atom distances), phi and psi
/// in degrees, potential energies (kJ/mol) and basin labels, a frame every 20 ps.
/// </summary>
internal sealed record AlanineRunData(double Temperature, double[,] Descriptors, double[] Phi, double[] Psi, double[] Energy, int[] Basin)
{
    public int Frames => Phi.Length;
}

/// <summary>Reads <c>alanine-dipeptide.npz</c>; see samples/AlanineDipeptide/data/README.md.</summary>
internal static class AlanineData
{
    /// <summary>The basins of the data set, in the order of its labels.</summary>
    public static readonly string[] BasinNames = ["C7eq", "alphaR", "C7ax"];

    /// <summary>The index of C7ax (with alphaL, phi >= 0): the basin behind the slow barrier.</summary>
    public const int C7ax = 2;

    public static IReadOnlyDictionary<double, AlanineRunData> Read(string path, IEnumerable<double> temperatures)
    {
        var arrays = Npz.Read(path);
        var result = new SortedDictionary<double, AlanineRunData>();
        foreach (var temperature in temperatures)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"T{temperature:0}_");
            if (!arrays.ContainsKey(prefix + "descriptors"))
            {
                var present = arrays.Keys.Where(k => k.EndsWith("_energy", StringComparison.Ordinal)).Select(k => k[1..^7]);
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The data set has no run at {temperature} K; it has {string.Join(", ", present)} K."));
            }

            var angles = arrays[prefix + "phi_psi"].ToMatrix();
            var frames = angles.GetLength(0);
            result[temperature] = new AlanineRunData(
                temperature,
                arrays[prefix + "descriptors"].ToMatrix(),
                Enumerable.Range(0, frames).Select(n => angles[n, 0]).ToArray(),
                Enumerable.Range(0, frames).Select(n => angles[n, 1]).ToArray(),
                arrays[prefix + "energy"].ToDoubleArray(),
                arrays[prefix + "basin"].ToInt32Array());
        }

        return result;
    }

    /// <summary>The fraction of frames in each basin, optionally weighted.</summary>
    public static double[] BasinPopulations(IReadOnlyList<int> basins, IReadOnlyList<double>? weights = null)
    {
        var populations = new double[BasinNames.Length];
        for (var n = 0; n < basins.Count; n++)
        {
            populations[basins[n]] += weights?[n] ?? 1.0 / basins.Count;
        }

        return populations;
    }
}
