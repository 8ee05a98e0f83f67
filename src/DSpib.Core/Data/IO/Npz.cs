using System.IO.Compression;

namespace DSpib.Data.IO;

/// <summary>Reads and writes NumPy <c>.npz</c> archives: zip files of <c>.npy</c> arrays, stored or deflated.</summary>
/// <remarks>
/// Reading verifies every entry as NumPy does: it must inflate to exactly the length the archive records, with the
/// CRC-32 it records, or it is refused with <see cref="InvalidDataException"/> naming the file and the entry. An
/// entry may declare at most 16 GiB and no more than its compressed bytes can inflate to (1032 bytes per compressed
/// byte), and memory is allocated as bytes are actually inflated, never for what a size field claims.
/// </remarks>
public static class Npz
{
    /// <summary>
    /// The most bytes one entry may declare: the largest array a <see cref="NpyArray"/> holds (<see cref="Array.MaxLength"/>
    /// elements of 8 bytes) and its header.
    /// </summary>
    private static readonly long MaxEntryLength = (8L * Array.MaxLength) + Npy.MaxHeaderLength + 16;

    /// <summary>Reads every array of an archive, keyed by name without the <c>.npy</c> suffix.</summary>
    /// <param name="path">Path of the <c>.npz</c> file.</param>
    /// <exception cref="InvalidDataException">
    /// The file is not a zip archive, an entry does not match its recorded length or CRC-32, an array is stored twice, or
    /// an entry is not a numeric NumPy array this reader supports; the message names the file and the entry.
    /// </exception>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads every array of an archive from a stream.</summary>
    /// <param name="stream">A readable stream holding the zip archive.</param>
    /// <exception cref="InvalidDataException">As for <see cref="Read(string)"/>.</exception>
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
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            throw new InvalidDataException($"{source} is not a NumPy .npz archive (not a readable zip file: {ex.Message}).", ex);
        }

        using (archive)
        {
            long? archiveLength = stream.CanSeek ? stream.Length : null;
            var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
            {
                var entrySource = $"{source}:{entry.FullName}";
                if (entry.FullName.EndsWith('/'))
                {
                    // A folder entry has no data; one that claims some is not a folder, and skipping it would lose an array.
                    if (entry.Length != 0)
                    {
                        throw new InvalidDataException($"{source}: the entry '{entry.FullName}' is named as a folder but holds {entry.Length} bytes; the archive is corrupt.");
                    }

                    continue;
                }

                var name = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                if (result.ContainsKey(name))
                {
                    throw new InvalidDataException($"{source}: the array '{name}' is stored twice (entry '{entry.FullName}'); which one is meant cannot be told.");
                }

                using var data = VerifiedZipEntry.Open(entry, MaxEntryLength, archiveLength, (problem, inner) => new InvalidDataException($"{source}: {problem}", inner));
                try
                {
                    result[name] = Npy.Read(data, entrySource);
                }
                catch (InvalidDataException)
                {
                    // Damage to the entry shows as nonsense in the array; say what it is when its checksum tells.
                    data.ReadToEndAndVerify();
                    throw;
                }

                data.ReadToEndAndVerify();
            }

            return result;
        }
    }
}
