using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using DSpib.Core.Tests.Data.IO;
using DSpib.Data.IO;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>Fuzz targets for the NumPy readers, with an independent decoder of .npy files as the oracle.</summary>
internal static partial class ArrayFuzzTargets
{
    /// <summary>
    /// .npy through <see cref="Npy.Read(Stream)"/>, alternately from a seekable and a non-seekable stream. A read is
    /// correct when the reference decoder finds the same shape, type, order and values (bit for bit).
    /// </summary>
    public static FuzzTarget Npy() => new()
    {
        Name = ".npy",
        Seeds = NpySeeds(),
        DocumentedException = typeof(InvalidDataException),
        SizeFields = bytes => bytes.Length >= 12 ? [(8, bytes[6] == 1 ? 2 : 4)] : [],
        ReadAndCheck = (bytes, number) =>
        {
            var array = DSpib.Data.IO.Npy.Read(number % 2 == 0 ? new MemoryStream(bytes) : new OneWayStream(bytes));
            CheckAgainstReference(array, bytes, "the file");
        },

        // Values are doubles: at most 8 bytes per byte of 4-byte elements read from a stream of unknown length (2 for
        // widening, 2 for growing by doubling, 2 for Fortran reordering), so 16 per input byte, plus a fixed 1 MiB for
        // the header (at most 64 KiB, as bytes and twice as text), the 128 KiB of chunk buffers and the exception.
        AllocationBudget = length => (1L << 20) + (16L * length),
    };

    /// <summary>
    /// .npz through <see cref="Npz.Read(Stream)"/>. A read is correct when its arrays are, in order, the reference
    /// decoder's reading of the archive's entries, each of which has the length and CRC-32 (computed here bit by bit)
    /// that the archive records: so no damaged entry can pass as data.
    /// </summary>
    public static FuzzTarget Npz() => new()
    {
        Name = ".npz",
        Seeds = NpzSeeds(),
        DocumentedException = typeof(InvalidDataException),
        SizeFields = ZipLayout.SizeFields,
        ReadAndCheck = (bytes, _) =>
        {
            var arrays = DSpib.Data.IO.Npz.Read(new MemoryStream(bytes)).ToList();
            using var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
            var entries = archive.Entries.Where(e => !(e.FullName.EndsWith('/') && e.Length == 0)).ToList();
            if (entries.Count != arrays.Count)
            {
                throw new IncorrectReadException($"read {arrays.Count} arrays from {entries.Count} entries.");
            }

            foreach (var (entry, (name, array)) in entries.Zip(arrays))
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                var raw = copy.ToArray();
                if (raw.Length != entry.Length || BitwiseCrc32(raw) != entry.Crc32)
                {
                    throw new IncorrectReadException($"accepted the entry '{entry.FullName}', whose {raw.Length} bytes do not have its recorded length {entry.Length} and CRC-32.");
                }

                if (name != (entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName) || Decode(raw) is not { } reference || !Same(reference, array))
                {
                    throw new IncorrectReadException($"the array '{name}' is not the reference decoder's reading of the entry '{entry.FullName}'.");
                }
            }
        },

        // Inflating is bounded by the declared length, and that by 1032 bytes per compressed byte; each inflated
        // byte costs at most 16 as for .npy. Far above what mutations of these seeds reach, but it is the bound the
        // reader guarantees for any input, and orders of magnitude below what size fields can claim (GiB).
        AllocationBudget = length => (2L << 20) + (16L * 1032 * length),
    };

    /// <summary>CRC-32 (the zip polynomial, reflected), one bit at a time: slow, short, and independent of the library's.</summary>
    private static uint BitwiseCrc32(byte[] bytes)
    {
        var crc = 0xFFFF_FFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320u : crc >> 1;
            }
        }

        return ~crc;
    }

    /// <summary>The seed .npy files: every element type, both byte orders, C and Fortran order, format versions 1-3, an empty array.</summary>
    private static List<byte[]> NpySeeds()
    {
        var seeds = new List<byte[]>();
        using (var stream = new MemoryStream())
        {
            DSpib.Data.IO.Npy.Write(stream, new double[,] { { 1.5, -2 }, { 3e-300, double.NaN }, { 0, 7 } });
            seeds.Add(stream.ToArray());
        }

        seeds.Add(NpyFiles.Build(2, "{'descr': '>f4', 'fortran_order': False, 'shape': (5,), }", NpyFiles.Singles(true, 1, -2, 3.5f, 1e-3f, 4)));
        seeds.Add(NpyFiles.Build(3, "{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3, 2), }", NpyFiles.Int32s(false, [.. Enumerable.Range(-5, 12)])));
        seeds.Add(NpyFiles.Build(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", NpyFiles.Int64s(1, -1, 1L << 40)));
        seeds.Add(NpyFiles.Build(1, "{'shape': (0, 4), 'descr': '<f8', 'fortran_order': False}", []));
        return seeds;
    }

    private static List<byte[]> NpzSeeds()
    {
        var seeds = new List<byte[]>();
        using (var folder = new TemporaryFolder())
        {
            var frames = new double[12, 3];
            for (var i = 0; i < frames.Length; i++)
            {
                frames[i / 3, i % 3] = Math.Cos(i) * 10;
            }

            DSpib.Data.IO.Npz.Write(folder.File("a.npz"), new Dictionary<string, double[,]> { ["frames"] = frames, ["weights"] = new double[,] { { 1 }, { 0.5 } } });
            seeds.Add(File.ReadAllBytes(folder.File("a.npz")));
        }

        seeds.Add(ZipLayout.Build(
            CompressionLevel.NoCompression,
            ("labels.npy", NpyFiles.Build(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (4,), }", NpyFiles.Int64s(0, 1, 1, 2))),
            ("x.npy", NpyFiles.Build(1, "{'descr': '>f4', 'fortran_order': True, 'shape': (2, 2), }", NpyFiles.Singles(true, 1, 2, 3, 4)))));
        return seeds;
    }

    private static void CheckAgainstReference(NpyArray array, byte[] bytes, string what)
    {
        var reference = Decode(bytes) ?? throw new IncorrectReadException($"{what} was read as shape ({string.Join(", ", array.Shape)}), but the reference decoder finds it malformed.");
        if (!Same(reference, array))
        {
            throw new IncorrectReadException($"{what} was read as {array.DataType} ({string.Join(", ", array.Shape)}), fortran {array.FortranOrder}; the reference reads {reference.Type} ({string.Join(", ", reference.Shape)}), fortran {reference.Fortran}, or other values.");
        }
    }

    private static bool Same(ReferenceArray reference, NpyArray array) =>
        reference.Type == array.DataType && reference.Fortran == array.FortranOrder && reference.Shape.SequenceEqual(array.Shape)
        && reference.Values.Length == array.Values.Length
        && reference.Values.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(array.Values.ToArray().Select(BitConverter.DoubleToInt64Bits));

    private sealed record ReferenceArray(NpyDataType Type, bool Fortran, int[] Shape, double[] Values);

    /// <summary>
    /// An independent decoder of the .npy format as NumPy documents it: magic, version, header length, a dict with
    /// exactly the keys descr, fortran_order and shape, then the elements. <see langword="null"/> when malformed.
    /// </summary>
    private static ReferenceArray? Decode(byte[] bytes)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || !bytes.AsSpan(1, 5).SequenceEqual("NUMPY"u8) || bytes[6] is < 1 or > 3)
        {
            return null;
        }

        var lengthSize = bytes[6] == 1 ? 2 : 4;
        if (bytes.Length < 8 + lengthSize)
        {
            return null;
        }

        var headerLength = lengthSize == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (long)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        var dataStart = 8 + lengthSize + headerLength;
        if (dataStart > bytes.Length)
        {
            return null;
        }

        var header = (bytes[6] == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, 8 + lengthSize, (int)headerLength).TrimEnd(' ', '\n', '\r', '\0');
        var match = HeaderPattern().Match(header);
        if (!match.Success)
        {
            return null;
        }

        var keys = match.Groups["key"].Captures.Select(c => c.Value).ToList();
        if (keys.Count != 3 || keys.Distinct().Count() != 3)
        {
            return null;
        }

        var descr = match.Groups["descr"].Value;
        var fortran = match.Groups["fortran"].Value == "True";
        var shape = new List<int>();
        foreach (Capture dimension in match.Groups["dim"].Captures)
        {
            if (!int.TryParse(dimension.Value, out var d))
            {
                return null;
            }

            shape.Add(d);
        }

        var size = descr[2] == '4' ? 4 : 8;
        var count = shape.Aggregate(BigInteger.One, (product, d) => product * d);
        if (shape.Count == 0 || count > Array.MaxLength || (count * size) > bytes.Length - dataStart)
        {
            return null;
        }

        var type = descr[1..] switch
        {
            "f4" => NpyDataType.Float32,
            "f8" => NpyDataType.Float64,
            "i4" => NpyDataType.Int32,
            _ => NpyDataType.Int64,
        };
        var big = descr[0] == '>';
        var stored = new double[(int)count];
        for (var i = 0; i < stored.Length; i++)
        {
            var element = bytes.AsSpan((int)dataStart + (i * size), size).ToArray();
            if (big != !BitConverter.IsLittleEndian)
            {
                Array.Reverse(element);
            }

            stored[i] = type switch
            {
                NpyDataType.Float32 => BitConverter.ToSingle(element),
                NpyDataType.Float64 => BitConverter.ToDouble(element),
                NpyDataType.Int32 => BitConverter.ToInt32(element),
                _ => BitConverter.ToInt64(element),
            };
        }

        // Fortran order: element (i0, i1, ..., ik) is stored at i0 + n0 (i1 + n1 (...)); C order wants the reverse.
        var values = stored;
        if (fortran && shape.Count > 1)
        {
            values = new double[stored.Length];
            var index = new int[shape.Count];
            for (var c = 0; c < values.Length; c++)
            {
                var rest = c;
                for (var d = shape.Count - 1; d >= 0; d--)
                {
                    index[d] = rest % shape[d];
                    rest /= shape[d];
                }

                var f = 0;
                for (var d = shape.Count - 1; d >= 0; d--)
                {
                    f = (f * shape[d]) + index[d];
                }

                values[c] = stored[f];
            }
        }

        return new ReferenceArray(type, fortran, [.. shape], values);
    }

    [GeneratedRegex("""
        ^\s*\{\s*
        (?:(?:['"](?<key>descr)['"]\s*:\s*['"](?<descr>[<>|=][fi][48])['"]
           |['"](?<key>fortran_order)['"]\s*:\s*(?<fortran>True|False)
           |['"](?<key>shape)['"]\s*:\s*\(\s*(?:(?<dim>[0-9]+)\s*(?:,\s*(?<dim>[0-9]+)\s*)*,?\s*)?\)
          )\s*,\s*){2}
        (?:['"](?<key>descr)['"]\s*:\s*['"](?<descr>[<>|=][fi][48])['"]
           |['"](?<key>fortran_order)['"]\s*:\s*(?<fortran>True|False)
           |['"](?<key>shape)['"]\s*:\s*\(\s*(?:(?<dim>[0-9]+)\s*(?:,\s*(?<dim>[0-9]+)\s*)*,?\s*)?\)
        )\s*,?\s*\}\s*$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.CultureInvariant)]
    private static partial Regex HeaderPattern();
}
