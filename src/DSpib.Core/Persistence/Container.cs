using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using DSpib.Data.IO;

namespace DSpib.Persistence;

/// <summary>
/// The zip container shared by model files and training checkpoints: a JSON manifest that lists every other entry with
/// its SHA-256, the manifest's own SHA-256 beside it, and the entries. Reading verifies everything before any of it is
/// interpreted, so a damaged file is reported as such instead of producing a wrong model.
/// </summary>
/// <remarks>
/// No size field of the zip is trusted: an entry must inflate to exactly the length the archive records, with the
/// CRC-32 it records (<see cref="ZipArchive"/> checks neither on this runtime), and may declare no more than its
/// compressed bytes can hold. The manifest may be at most <see cref="MaxManifestLength"/> bytes and any other entry
/// <see cref="MaxEntryLength"/>. Only the manifest, its checksum and the entries the manifest lists are read; any other
/// entry is ignored without being inflated. A listed entry is first inflated into nothing but its checksums, and kept
/// in memory only when it is used, so memory follows verified bytes, never a declared size. Entry times are fixed so
/// that saving the same model twice gives the same bytes.
/// </remarks>
internal static class Container
{
    public const string ManifestEntry = "manifest.json";
    public const string ManifestChecksumEntry = "manifest.sha256";

    /// <summary>The largest manifest read (a checkpoint's history of a very long run is a few megabytes).</summary>
    public const int MaxManifestLength = 64 << 20;

    /// <summary>The largest entry read (a network of a quarter of a billion float32 weights).</summary>
    public const int MaxEntryLength = 1 << 30;

    /// <summary>Entry time of every entry (zip's earliest representable date).</summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Prefix of the zip local-file-header signature, "PK\x03\x04".</summary>
    private static readonly byte[] ZipSignature = [0x50, 0x4B, 0x03, 0x04];

    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// Writes the manifest (from <paramref name="manifest"/>, given the checksums of the entries) and the entries, in
    /// order. <paramref name="afterEntryWritten"/> is a test hook called after each entry.
    /// </summary>
    public static void Write(Stream stream, IReadOnlyList<(string Name, byte[] Bytes)> entries, Func<IReadOnlyDictionary<string, string>, byte[]> manifest, Action<string>? afterEntryWritten = null)
    {
        var checksums = entries.ToDictionary(e => e.Name, e => Sha256(e.Bytes), StringComparer.Ordinal);
        var manifestBytes = manifest(checksums);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(archive, ManifestEntry, manifestBytes, afterEntryWritten);
        WriteEntry(archive, ManifestChecksumEntry, Encoding.ASCII.GetBytes(Sha256(manifestBytes)), afterEntryWritten);
        foreach (var (name, bytes) in entries)
        {
            WriteEntry(archive, name, bytes, afterEntryWritten);
        }
    }

    /// <summary>
    /// Opens the file at <paramref name="path"/> to read a container from it. A folder is not a file of this format
    /// (<see cref="ModelFileError.NotAModelFile"/>), rather than the system's access error.
    /// </summary>
    /// <exception cref="ModelFileException"><paramref name="path"/> is a folder.</exception>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>.</exception>
    public static FileStream OpenRead(string path, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            throw new ModelFileException($"{what} is a folder, not a file: give the path of the file inside it.", ModelFileError.NotAModelFile);
        }

        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
    }

    /// <summary>
    /// Reads a container and checks its manifest: present, of the <paramref name="expected"/> format, a version this
    /// library reads, and matching its checksum. Throws <see cref="ModelFileException"/> saying what is wrong. The
    /// entries are checked by <see cref="VerifiedContainer.VerifyEntries"/> once the manifest is parsed.
    /// </summary>
    /// <param name="stream">The file's content.</param>
    /// <param name="what">How to name the file in messages ("The model file 'x.dspib'").</param>
    /// <param name="expected">The kind of file expected.</param>
    public static VerifiedContainer Read(Stream stream, string what, FileFormat expected)
    {
        var content = ReadAll(stream, what);
        if (content.Length == 0)
        {
            throw new ModelFileException($"{what} is empty (0 bytes): it was never completely written. Save it again.", ModelFileError.Truncated);
        }

        var names = EntryNames(content, what, expected);
        if (!names.Contains(ManifestEntry))
        {
            var looksOurs = names.Contains(ManifestChecksumEntry) || names.Any(k => k.StartsWith("weights/", StringComparison.Ordinal));
            throw looksOurs
                ? new ModelFileException($"{what} is corrupted: its manifest entry is missing.", ModelFileError.Corrupted)
                : new ModelFileException($"{what} is not a DSpib {expected.Description}: the zip archive has no {ManifestEntry}.", ModelFileError.NotAModelFile);
        }

        var manifest = ReadEntry(content, what, ManifestEntry, MaxManifestLength);
        var checksum = ReadChecksum(content, what, names);
        var header = FormatHeader.TryRead(manifest);
        var checksumMatches = checksum is not null && Encoding.ASCII.GetString(checksum) == Sha256(manifest);
        if (!checksumMatches)
        {
            // A manifest of ours with a wrong checksum is damage; anything else is someone else's zip.
            throw header is not null && FileFormat.IsKnown(header.Value.Format)
                ? new ModelFileException($"{what} is corrupted: its manifest does not match its checksum.", ModelFileError.Corrupted)
                : new ModelFileException($"{what} is not a DSpib {expected.Description}: its {ManifestEntry} is not a DSpib manifest.", ModelFileError.NotAModelFile);
        }

        if (header is not { } known)
        {
            throw new ModelFileException($"{what} is not a DSpib {expected.Description}: its manifest has no format name and version.", ModelFileError.NotAModelFile);
        }

        if (known.Format != expected.Name)
        {
            throw new ModelFileException($"{what} is not a DSpib {expected.Description}: {FileFormat.Describe(known.Format)}", ModelFileError.NotAModelFile);
        }

        if (known.Version > expected.Version)
        {
            throw new ModelFileException(
                $"{what} was written in format version {known.Version} (by DSpib {known.LibraryVersion}); this version of DSpib ({LibraryVersion}) reads versions up to {expected.Version}. Update DSpib to read it.",
                ModelFileError.NewerFormat);
        }

        if (known.Version < 1)
        {
            throw new ModelFileException($"{what} is corrupted: its format version {known.Version} does not exist.", ModelFileError.Corrupted);
        }

        return new VerifiedContainer(what, manifest, content, names);
    }

    /// <summary>The library version written into manifests (the informational version without build metadata).</summary>
    public static string LibraryVersion { get; } =
        (typeof(Container).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+')[0];

    /// <summary>
    /// The bytes of one entry, its declared size checked against <paramref name="maxLength"/> and against its
    /// compressed size, its length and CRC-32 verified, in an array that grows as they are inflated.
    /// </summary>
    public static byte[] ReadEntry(byte[] content, string what, string name, long maxLength) =>
        WithEntry(content, what, name, maxLength, static data => data.ReadAllVerified());

    /// <summary>Feeds one entry, checked as by <see cref="ReadEntry"/>, to <paramref name="hash"/> without keeping it.</summary>
    public static void HashEntry(byte[] content, string what, string name, long maxLength, IncrementalHash hash) =>
        WithEntry(content, what, name, maxLength, data =>
        {
            var buffer = new byte[1 << 16];
            int read;
            while ((read = data.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            return true;
        });

    private static T WithEntry<T>(byte[] content, string what, string name, long maxLength, Func<VerifiedZipEntry, T> read)
    {
        ModelFileException Fail(string problem, Exception? inner) => new($"{what} is corrupted: {problem}", ModelFileError.Corrupted, inner);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            var entry = archive.GetEntry(name) ?? throw Fail($"the entry '{name}' is missing.", null);
            using var data = VerifiedZipEntry.Open(entry, maxLength, content.Length, Fail);
            return read(data);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException && e is not ModelFileException)
        {
            throw Fail($"the entry '{name}' cannot be read ({e.Message}).", e);
        }
    }

    /// <summary>The manifest's checksum entry, or <see langword="null"/> when it is missing or unreadable (which the caller reports).</summary>
    private static byte[]? ReadChecksum(byte[] content, string what, HashSet<string> names)
    {
        if (!names.Contains(ManifestChecksumEntry))
        {
            return null;
        }

        try
        {
            return ReadEntry(content, what, ManifestChecksumEntry, maxLength: 1024);
        }
        catch (ModelFileException)
        {
            return null;
        }
    }

    /// <summary>The names of the entries (their central directory only); a name given twice is damage.</summary>
    private static HashSet<string> EntryNames(byte[] content, string what, FileFormat expected)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                if (!names.Add(entry.FullName))
                {
                    throw new ModelFileException($"{what} is corrupted: it has two entries named '{entry.FullName}'.", ModelFileError.Corrupted);
                }
            }
        }
        catch (InvalidDataException e) when (!StartsWithZipSignature(content))
        {
            throw new ModelFileException($"{what} is not a DSpib {expected.Description}: it is not a zip archive.", ModelFileError.NotAModelFile, e);
        }
        catch (InvalidDataException e) when (!HasCompleteEndRecord(content))
        {
            throw new ModelFileException($"{what} is truncated ({content.Length} bytes): the end of the archive is missing. Copy or save it again.", ModelFileError.Truncated, e);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException && e is not ModelFileException)
        {
            throw new ModelFileException($"{what} is corrupted: its zip structure cannot be read ({e.Message}).", ModelFileError.Corrupted, e);
        }

        return names;
    }

    private static void WriteEntry(ZipArchive archive, string name, byte[] bytes, Action<string>? afterEntryWritten)
    {
        var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = EntryTime;
        using (var entryStream = entry.Open())
        {
            entryStream.Write(bytes);
        }

        afterEntryWritten?.Invoke(name);
    }

    /// <summary>The rest of the stream: allocated at once when its length is known, else as the bytes arrive.</summary>
    private static byte[] ReadAll(Stream stream, string what)
    {
        if (stream.CanSeek)
        {
            var length = stream.Length - stream.Position;
            if (length > Array.MaxLength)
            {
                throw new ModelFileException($"{what} is {length} bytes long, more than one array can hold; it is not a DSpib file this library can read.", ModelFileError.Corrupted);
            }

            // A stream that ends before its length (a file cut while it is read) gives what it has.
            var content = new byte[Math.Max(0, length)];
            var read = stream.ReadAtLeast(content, content.Length, throwOnEndOfStream: false);
            return read == content.Length ? content : content[..read];
        }

        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Whether the content starts like a zip archive (all of it, when it is shorter than the signature).</summary>
    private static bool StartsWithZipSignature(byte[] content) =>
        content.AsSpan(0, Math.Min(content.Length, ZipSignature.Length)).SequenceEqual(ZipSignature.AsSpan(0, Math.Min(content.Length, ZipSignature.Length)));

    /// <summary>
    /// Whether the archive ends with a complete end-of-central-directory record: its signature "PK\x05\x06" in the
    /// last 64 KiB + 22 bytes, followed by its 22 bytes and its comment. A file cut anywhere loses or cuts this record.
    /// </summary>
    private static bool HasCompleteEndRecord(byte[] content)
    {
        const int RecordLength = 22;
        var start = Math.Max(0, content.Length - (ushort.MaxValue + RecordLength));
        var found = content.AsSpan(start).LastIndexOf([(byte)0x50, (byte)0x4B, (byte)0x05, (byte)0x06]);
        if (found < 0 || start + found + RecordLength > content.Length)
        {
            return false;
        }

        var commentLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(content.AsSpan(start + found + RecordLength - 2));
        return start + found + RecordLength + commentLength <= content.Length;
    }
}

/// <summary>
/// A container whose manifest matched its checksum; its other entries are checked by <see cref="VerifyEntries"/> and
/// read, each when it is used, by <see cref="Entry"/>.
/// </summary>
internal sealed class VerifiedContainer(string what, byte[] manifest, byte[] content, IReadOnlySet<string> names)
{
    private IReadOnlyDictionary<string, string>? _verified;

    /// <summary>How the file is named in messages.</summary>
    public string What { get; } = what;

    public byte[] Manifest { get; } = manifest;

    /// <summary>
    /// Checks that every entry the manifest lists is present with its checksum, inflating each into nothing but its
    /// SHA-256 and CRC-32, so that no memory is spent on an entry before it is known to be what the manifest says.
    /// </summary>
    public void VerifyEntries(IReadOnlyDictionary<string, string> listed)
    {
        foreach (var (name, checksum) in listed)
        {
            if (!names.Contains(name))
            {
                throw new ModelFileException($"{What} is corrupted: the entry '{name}' its manifest lists is missing.", ModelFileError.Corrupted);
            }

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Container.HashEntry(content, What, name, Container.MaxEntryLength, hash);
            if (!string.Equals(Convert.ToHexStringLower(hash.GetHashAndReset()), checksum, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelFileException($"{What} is corrupted: the entry '{name}' does not match its checksum.", ModelFileError.Corrupted);
            }
        }

        _verified = listed;
    }

    /// <summary>The verified bytes of a listed entry (inflated again and checked against its checksum again).</summary>
    public byte[] Entry(string name)
    {
        if (_verified is null)
        {
            throw new InvalidOperationException("Verify the entries before reading them.");
        }

        if (!_verified.TryGetValue(name, out var checksum))
        {
            throw new ModelFileException($"{What} is corrupted: its manifest does not list the entry '{name}'.", ModelFileError.Corrupted);
        }

        var bytes = Container.ReadEntry(content, What, name, Container.MaxEntryLength);
        return string.Equals(Container.Sha256(bytes), checksum, StringComparison.OrdinalIgnoreCase)
            ? bytes
            : throw new ModelFileException($"{What} is corrupted: the entry '{name}' does not match its checksum.", ModelFileError.Corrupted);
    }

    /// <summary>A <see cref="ModelFileException"/> for content that passed its checksum but does not make sense.</summary>
    public ModelFileException Invalid(string problem, Exception? inner = null) =>
        new($"{What} is corrupted: {problem}", ModelFileError.Corrupted, inner);
}
