using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>
/// Where the size fields of a zip file are, found from its records' signatures (so also in damaged files), and the
/// central-directory records of an intact one. Written from the zip specification (APPNOTE 4.3.7, 4.3.12, 4.3.16).
/// </summary>
internal static class ZipLayout
{
    private const uint LocalHeader = 0x04034B50;
    private const uint CentralHeader = 0x02014B50;
    private const uint EndRecord = 0x06054B50;

    /// <summary>A central-directory record: where it starts, the entry's name, and where its local header starts.</summary>
    public sealed record CentralEntry(int Offset, string Name, int LocalOffset)
    {
        public int CrcField => Offset + 16;

        public int CompressedSizeField => Offset + 20;

        public int UncompressedSizeField => Offset + 24;

        public int LocalCrcField => LocalOffset + 14;

        public int LocalCompressedSizeField => LocalOffset + 18;

        public int LocalUncompressedSizeField => LocalOffset + 22;
    }

    /// <summary>A zip archive of the given entries, each stored or compressed at <paramref name="level"/>.</summary>
    public static byte[] Build(CompressionLevel level, params (string Name, byte[] Bytes)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = archive.CreateEntry(name, level).Open();
                entry.Write(bytes);
            }
        }

        return stream.ToArray();
    }

    /// <summary>The central directory of an intact archive, in order.</summary>
    public static IReadOnlyList<CentralEntry> CentralDirectory(byte[] zip)
    {
        var end = zip.AsSpan().LastIndexOf(BitConverter.GetBytes(EndRecord));
        if (end < 0)
        {
            throw new ArgumentException("No end-of-central-directory record.", nameof(zip));
        }

        var count = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(end + 10));
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 16));
        var entries = new List<CentralEntry>();
        for (var i = 0; i < count; i++)
        {
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(offset + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(offset + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(offset + 32));
            var local = (int)BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(offset + 42));
            entries.Add(new CentralEntry(offset, Encoding.UTF8.GetString(zip, offset + 46, nameLength), local));
            offset += 46 + nameLength + extraLength + commentLength;
        }

        return entries;
    }

    /// <summary>The central-directory record of the entry <paramref name="name"/>.</summary>
    public static CentralEntry Entry(byte[] zip, string name) => CentralDirectory(zip).Single(e => e.Name == name);

    /// <summary>Where the entry's data start (after its local header, name and extra field).</summary>
    public static int DataStart(byte[] zip, CentralEntry entry) =>
        entry.LocalOffset + 30 + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(entry.LocalOffset + 26)) + BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(entry.LocalOffset + 28));

    /// <summary>Writes <paramref name="value"/> into the 4-byte field at <paramref name="offset"/>.</summary>
    public static void Write32(byte[] zip, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(offset), value);

    /// <summary>
    /// Every size, count and offset field of every record whose signature appears in <paramref name="bytes"/>, as
    /// (offset, width in bytes): local headers, central-directory records and the end record.
    /// </summary>
    public static List<(int Offset, int Width)> SizeFields(byte[] bytes)
    {
        var fields = new List<(int, int)>();
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            if (bytes[i] != 0x50 || bytes[i + 1] != 0x4B)
            {
                continue;
            }

            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            (int, int)[] layout = signature switch
            {
                LocalHeader => [(18, 4), (22, 4), (26, 2), (28, 2)],
                CentralHeader => [(20, 4), (24, 4), (28, 2), (30, 2), (32, 2), (42, 4)],
                EndRecord => [(8, 2), (10, 2), (12, 4), (16, 4), (20, 2)],
                _ => [],
            };
            fields.AddRange(layout.Where(f => i + f.Item1 + f.Item2 <= bytes.Length).Select(f => (i + f.Item1, f.Item2)));
        }

        return fields;
    }
}
