using System.IO.Compression;

namespace DSpib.Data.IO;

/// <summary>Reads and writes NumPy <c>.npz</c> archives: zip files of <c>.npy</c> arrays, stored or deflated.</summary>
public static class Npz
{
    /// <summary>Reads every array of an archive, keyed by name without the <c>.npy</c> suffix.</summary>
    /// <param name="path">Path of the <c>.npz</c> file.</param>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads every array of an archive from a stream.</summary>
    /// <param name="stream">A readable stream holding the zip archive.</param>
    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream) => Read(stream, "stream");

    /// <summary>Writes matrices as float64 arrays into a new archive (deflated), replacing the target atomically.</summary>
    /// <param name="path">Target path.</param>
    /// <param name="arrays">Arrays by name (the name becomes <c>name.npy</c> in the archive).</param>
    public static void Write(string path, IReadOnlyDictionary<string, double[,]> arrays)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (var (name, data) in arrays)
        {
            if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\']) >= 0)
            {
                throw new ArgumentException($"'{name}' is not a valid array name: use a non-empty name without path separators.", nameof(arrays));
            }

            ArgumentNullException.ThrowIfNull(data, nameof(arrays));
        }

        AtomicFile.Write(path, stream =>
        {
            using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, data) in arrays)
            {
                using var entry = archive.CreateEntry(name + ".npy", CompressionLevel.Optimal).Open();
                Npy.Write(entry, data);
            }
        });
    }

    private static Dictionary<string, NpyArray> Read(Stream stream, string source)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"{source} is not a NumPy .npz archive (not a readable zip file).", ex);
        }

        using (archive)
        {
            var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                if (entry.FullName.EndsWith('/'))
                {
                    continue;
                }

                var name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                using var entryStream = entry.Open();
                result[name] = Npy.Read(entryStream, $"{source}:{entry.FullName}");
            }

            return result;
        }
    }
}
