using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace DSpib.Persistence;

/// <summary>
/// The zip container shared by model files and training checkpoints: a JSON manifest that lists every other entry with
/// its SHA-256, the manifest's own SHA-256 beside it, and the entries. Reading verifies everything before any of it is
/// interpreted, so a damaged file is reported as such instead of producing a wrong model.
/// </summary>
/// <remarks>
/// Zip's own CRC-32 is not checked by <see cref="ZipArchive"/> on this runtime, which is why the manifest carries its
/// own checksum. Entry times are fixed so that saving the same model twice gives the same bytes.
/// </remarks>
internal static class Container
{
    public const string ManifestEntry = "manifest.json";
    public const string ManifestChecksumEntry = "manifest.sha256";

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
    /// Reads a container and checks its manifest: present, of the <paramref name="expected"/> format, a version this
    /// library reads, and matching its checksum. Throws <see cref="ModelFileException"/> saying what is wrong. The
    /// entries are checked by <see cref="VerifiedContainer.VerifyEntries"/> once the manifest is parsed.
    /// </summary>
    /// <param name="stream">The file's content.</param>
    /// <param name="what">How to name the file in messages ("The model file 'x.dspib'").</param>
    /// <param name="expected">The kind of file expected.</param>
    public static VerifiedContainer Read(Stream stream, string what, FileFormat expected)
    {
        var content = ReadAll(stream);
        if (content.Length == 0)
        {
            throw new ModelFileException($"{what} is empty (0 bytes): it was never completely written. Save it again.", ModelFileError.Truncated);
        }

        var entries = ReadEntries(content, what, expected);
        if (!entries.TryGetValue(ManifestEntry, out var manifest))
        {
            var looksOurs = entries.ContainsKey(ManifestChecksumEntry) || entries.Keys.Any(k => k.StartsWith("weights/", StringComparison.Ordinal));
            throw looksOurs
                ? new ModelFileException($"{what} is corrupted: its manifest entry is missing.", ModelFileError.Corrupted)
                : new ModelFileException($"{what} is not a DSpib {expected.Description}: the zip archive has no {ManifestEntry}.", ModelFileError.NotAModelFile);
        }

        var header = FormatHeader.TryRead(manifest);
        var checksumMatches = entries.TryGetValue(ManifestChecksumEntry, out var checksum) && Encoding.ASCII.GetString(checksum) == Sha256(manifest);
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

        return new VerifiedContainer(what, manifest, entries);
    }

    /// <summary>The library version written into manifests (the informational version without build metadata).</summary>
    public static string LibraryVersion { get; } =
        (typeof(Container).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+')[0];

    private static Dictionary<string, byte[]> ReadEntries(byte[] content, string what, FileFormat expected)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            foreach (var entry in archive.Entries)
            {
                using var entryStream = entry.Open();
                using var copy = new MemoryStream();
                entryStream.CopyTo(copy);
                entries[entry.FullName] = copy.ToArray();
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
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException)
        {
            throw new ModelFileException($"{what} is corrupted: its zip structure cannot be read ({e.Message}).", ModelFileError.Corrupted, e);
        }

        return entries;
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

    private static byte[] ReadAll(Stream stream)
    {
        if (stream is MemoryStream memory && memory.Position == 0)
        {
            return memory.ToArray();
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

/// <summary>A container whose manifest matched its checksum; its other entries are checked by <see cref="VerifyEntries"/>.</summary>
internal sealed class VerifiedContainer(string what, byte[] manifest, IReadOnlyDictionary<string, byte[]> entries)
{
    private IReadOnlyDictionary<string, string>? _verified;

    /// <summary>How the file is named in messages.</summary>
    public string What { get; } = what;

    public byte[] Manifest { get; } = manifest;

    /// <summary>Checks that every entry the manifest lists is present with its checksum.</summary>
    public void VerifyEntries(IReadOnlyDictionary<string, string> listed)
    {
        foreach (var (name, checksum) in listed)
        {
            if (!entries.TryGetValue(name, out var bytes))
            {
                throw new ModelFileException($"{What} is corrupted: the entry '{name}' its manifest lists is missing.", ModelFileError.Corrupted);
            }

            if (!string.Equals(Container.Sha256(bytes), checksum, StringComparison.OrdinalIgnoreCase))
            {
                throw new ModelFileException($"{What} is corrupted: the entry '{name}' does not match its checksum.", ModelFileError.Corrupted);
            }
        }

        _verified = listed;
    }

    /// <summary>The verified bytes of a listed entry.</summary>
    public byte[] Entry(string name)
    {
        if (_verified is null)
        {
            throw new InvalidOperationException("Verify the entries before reading them.");
        }

        return _verified.ContainsKey(name)
            ? entries[name]
            : throw new ModelFileException($"{What} is corrupted: its manifest does not list the entry '{name}'.", ModelFileError.Corrupted);
    }

    /// <summary>A <see cref="ModelFileException"/> for content that passed its checksum but does not make sense.</summary>
    public ModelFileException Invalid(string problem, Exception? inner = null) =>
        new($"{What} is corrupted: {problem}", ModelFileError.Corrupted, inner);
}
