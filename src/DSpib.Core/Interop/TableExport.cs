using System.Globalization;
using DSpib.Analysis;
using DSpib.Data;
using DSpib.Data.IO;

namespace DSpib.Interop;

/// <summary>
/// Writes results as NumPy <c>.npy</c> or CSV tables for analysis in Python: latent trajectories, state labels and
/// free-energy profiles and surfaces. Every file is replaced atomically (a failed write leaves the previous file
/// intact), and the library's own readers (<see cref="Npy"/>, <see cref="Csv"/>) read them back.
/// </summary>
public static class TableExport
{
    /// <summary>
    /// Encodes every trajectory and writes its latent means, frames x D, one file per trajectory in the order of
    /// <see cref="TrajectorySet.Trajectories"/>: <c>latent-000.npy</c>, <c>latent-001.npy</c>, ... (or <c>.csv</c>
    /// with the header <c>z1,...,zD</c>).
    /// </summary>
    /// <param name="model">A trained model.</param>
    /// <param name="data">Trajectories with the model's descriptors.</param>
    /// <param name="folder">An existing folder.</param>
    /// <param name="format">The file format.</param>
    /// <returns>The paths written, one per trajectory.</returns>
    public static IReadOnlyList<string> ExportLatentTrajectories(this DSpibModel model, TrajectorySet data, string folder, TableFormat format = TableFormat.Npy)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckFolderAndFormat(folder, format);

        // Every trajectory is encoded before the first file is written.
        var latent = model.Encode(data);
        var header = Enumerable.Range(1, model.LatentDimension).Select(k => "z" + k.ToString(CultureInfo.InvariantCulture)).ToArray();
        var paths = FileNames(folder, "latent", latent.Count, format);
        for (var t = 0; t < latent.Count; t++)
        {
            WriteMatrix(paths[t], latent[t], header, format);
        }

        return paths;
    }

    /// <summary>
    /// Writes the state label of every frame, one file per trajectory: <c>states-000.npy</c>, ... (1-D int32), or
    /// <c>.csv</c> with the header <c>state</c>. For the states a trained model assigns, pass
    /// <c>model.PredictStates(data)</c>.
    /// </summary>
    /// <param name="labels">The labels.</param>
    /// <param name="folder">An existing folder.</param>
    /// <param name="format">The file format.</param>
    /// <returns>The paths written, one per trajectory.</returns>
    public static IReadOnlyList<string> ExportStateLabels(this StateLabels labels, string folder, TableFormat format = TableFormat.Npy)
    {
        ArgumentNullException.ThrowIfNull(labels);
        CheckFolderAndFormat(folder, format);
        var paths = FileNames(folder, "states", labels.TrajectoryCount, format);
        for (var t = 0; t < labels.TrajectoryCount; t++)
        {
            var states = labels.ForTrajectory(t).ToArray();
            if (format == TableFormat.Npy)
            {
                Npy.Write(paths[t], states);
            }
            else
            {
                var column = new double[states.Length, 1];
                for (var n = 0; n < states.Length; n++)
                {
                    column[n, 0] = states[n];
                }

                Csv.Write(paths[t], column, ["state"]);
            }
        }

        return paths;
    }

    /// <summary>
    /// Writes a free-energy profile as a points x 2 table of (x, F) with F in k_B T (<c>+inf</c> where the density is
    /// 0): a float64 <c>.npy</c> matrix, or CSV with the header <c>x,free_energy</c>. The format follows the extension.
    /// </summary>
    /// <param name="profile">The profile.</param>
    /// <param name="path">Target path ending in <c>.npy</c> or <c>.csv</c>.</param>
    public static void ExportTable(this FreeEnergyProfile profile, string path)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var format = FormatOf(path);
        var table = new double[profile.Grid.Count, 2];
        for (var i = 0; i < profile.Grid.Count; i++)
        {
            table[i, 0] = profile.Grid[i];
            table[i, 1] = profile.FreeEnergy[i];
        }

        WriteMatrix(path, table, ["x", "free_energy"], format);
    }

    /// <summary>
    /// Writes a free-energy surface as a long table of (x, y, F) rows with F in k_B T, x varying slowest (row
    /// i * Y.Count + j is point (X[i], Y[j])), so that <c>table[:, 2].reshape(len(X), len(Y))</c> in NumPy is
    /// <see cref="FreeEnergySurface.ToMatrix"/>: a float64 <c>.npy</c> matrix, or CSV with the header
    /// <c>x,y,free_energy</c>. The format follows the extension.
    /// </summary>
    /// <param name="surface">The surface.</param>
    /// <param name="path">Target path ending in <c>.npy</c> or <c>.csv</c>.</param>
    public static void ExportTable(this FreeEnergySurface surface, string path)
    {
        ArgumentNullException.ThrowIfNull(surface);
        var format = FormatOf(path);
        var (nx, ny) = (surface.X.Count, surface.Y.Count);
        var table = new double[nx * ny, 3];
        for (var i = 0; i < nx; i++)
        {
            for (var j = 0; j < ny; j++)
            {
                var row = (i * ny) + j;
                table[row, 0] = surface.X[i];
                table[row, 1] = surface.Y[j];
                table[row, 2] = surface[i, j];
            }
        }

        WriteMatrix(path, table, ["x", "y", "free_energy"], format);
    }

    private static void WriteMatrix(string path, double[,] data, string[] header, TableFormat format)
    {
        if (format == TableFormat.Npy)
        {
            Npy.Write(path, data);
        }
        else
        {
            Csv.Write(path, data, header);
        }
    }

    private static TableFormat FormatOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".NPY" => TableFormat.Npy,
            ".CSV" => TableFormat.Csv,
            _ => throw new ArgumentException($"'{Path.GetFileName(path)}' does not say the format: end the path in .npy (NumPy) or .csv.", nameof(path)),
        };
    }

    private static void CheckFolderAndFormat(string folder, TableFormat format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "Use TableFormat.Npy or TableFormat.Csv.");
        }

        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{Path.GetFullPath(folder)}' does not exist; create it before exporting into it.");
        }
    }

    /// <summary>stem-000.ext, stem-001.ext, ...: zero-padded so that sorted names follow the trajectory order.</summary>
    private static string[] FileNames(string folder, string stem, int count, TableFormat format)
    {
        var digits = Math.Max(3, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var extension = format == TableFormat.Npy ? ".npy" : ".csv";
        return Enumerable.Range(0, count)
            .Select(t => Path.Combine(folder, stem + "-" + t.ToString("D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + extension))
            .ToArray();
    }
}
