using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DSpib.Data.IO;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0). Reading accepts float32, float64,
/// int32 and int64 elements in either byte order and in C or Fortran order; pickled (object) arrays are refused.
/// Writing produces version 1.0, little-endian, C order, and replaces the target atomically.
/// </summary>
public static class Npy
{
    /// <summary>
    /// The longest header read: a version 1.0 header's limit. Version 2.0 exists for longer headers, which only
    /// structured dtypes with many fields need, and those are not supported.
    /// </summary>
    internal const int MaxHeaderLength = ushort.MaxValue;

    /// <summary>Elements read and decoded at a time (64 KiB of float64).</summary>
    private const int ChunkElements = 1 << 13;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an array from a file.</summary>
    /// <param name="path">Path of the <c>.npy</c> file.</param>
    /// <exception cref="InvalidDataException">The file is not a numeric NumPy array this reader supports; the message says why.</exception>
    public static NpyArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads an array from a stream positioned at the start of the <c>.npy</c> data.</summary>
    /// <param name="stream">The stream; read to the end of the array.</param>
    /// <exception cref="InvalidDataException">As for <see cref="Read(string)"/>.</exception>
    public static NpyArray Read(Stream stream) => Read(stream, "stream");

    /// <summary>Reads a 1-D or 2-D array as a matrix (a 1-D array becomes one column).</summary>
    /// <param name="path">Path of the <c>.npy</c> file.</param>
    /// <exception cref="InvalidDataException">The file is not a numeric NumPy array this reader supports, or its array has more than 2 dimensions.</exception>
    public static double[,] ReadMatrix(string path) => ReadAs(path, static array => array.ToMatrix());

    /// <summary>Reads a 1-D array of whole numbers as state labels.</summary>
    /// <param name="path">Path of the <c>.npy</c> file.</param>
    /// <exception cref="InvalidDataException">The file is not a numeric NumPy array this reader supports, or not a 1-D array of whole numbers in the range of <see cref="int"/>.</exception>
    public static int[] ReadLabels(string path) => ReadAs(path, static array => array.ToInt32Array());

    /// <summary>Reads a file and converts its array; an array that does not convert is a problem of the file, named as such.</summary>
    private static T ReadAs<T>(string path, Func<NpyArray, T> convert)
    {
        var array = Read(path);
        try
        {
            return convert(array);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Writes a matrix as a 2-D float64 array.</summary>
    /// <param name="path">Target path; an existing file is replaced only once the new one is complete.</param>
    /// <param name="data">The matrix.</param>
    public static void Write(string path, double[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.Write(path, stream => Write(stream, data));
    }

    /// <summary>Writes a matrix as a 2-D float32 array.</summary>
    /// <inheritdoc cref="Write(string, double[,])" />
    public static void Write(string path, float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.Write(path, stream => Write(stream, data));
    }

    /// <summary>Writes a vector as a 1-D float64 array.</summary>
    /// <inheritdoc cref="Write(string, double[,])" />
    public static void Write(string path, double[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.Write(path, stream => Write(stream, data));
    }

    /// <summary>Writes a vector as a 1-D int32 array (for state labels).</summary>
    /// <inheritdoc cref="Write(string, double[,])" />
    public static void Write(string path, int[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.Write(path, stream => Write(stream, data));
    }

    /// <summary>Writes a vector as a 1-D int64 array.</summary>
    /// <inheritdoc cref="Write(string, double[,])" />
    public static void Write(string path, long[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        AtomicFile.Write(path, stream => Write(stream, data));
    }

    /// <summary>Writes a matrix as a 2-D float64 array to a stream.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="data">The matrix.</param>
    public static void Write(Stream stream, double[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteArray(stream, "<f8", [data.GetLength(0), data.GetLength(1)], Internal.ArrayViews.AsReadOnlySpan(data), 8, static (span, value) => BinaryPrimitives.WriteDoubleLittleEndian(span, value));
    }

    /// <summary>Writes a matrix as a 2-D float32 array to a stream.</summary>
    /// <inheritdoc cref="Write(Stream, double[,])" />
    public static void Write(Stream stream, float[,] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteArray(stream, "<f4", [data.GetLength(0), data.GetLength(1)], Internal.ArrayViews.AsReadOnlySpan(data), 4, static (span, value) => BinaryPrimitives.WriteSingleLittleEndian(span, value));
    }

    /// <summary>Writes a vector as a 1-D float64 array to a stream.</summary>
    /// <inheritdoc cref="Write(Stream, double[,])" />
    public static void Write(Stream stream, double[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteArray(stream, "<f8", [data.Length], data, 8, static (span, value) => BinaryPrimitives.WriteDoubleLittleEndian(span, value));
    }

    /// <summary>Writes a vector as a 1-D int32 array to a stream.</summary>
    /// <inheritdoc cref="Write(Stream, double[,])" />
    public static void Write(Stream stream, int[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteArray(stream, "<i4", [data.Length], data, 4, static (span, value) => BinaryPrimitives.WriteInt32LittleEndian(span, value));
    }

    /// <summary>Writes a vector as a 1-D int64 array to a stream.</summary>
    /// <inheritdoc cref="Write(Stream, double[,])" />
    public static void Write(Stream stream, long[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        WriteArray(stream, "<i8", [data.Length], data, 8, static (span, value) => BinaryPrimitives.WriteInt64LittleEndian(span, value));
    }

    /// <summary>
    /// Reads an array, trusting none of the file's size fields: the header may be at most <see cref="MaxHeaderLength"/>
    /// bytes, the shape may hold at most <see cref="Array.MaxLength"/> elements (computed without overflow), and when
    /// the stream says how many bytes remain (a seekable stream, or a verified zip entry) a shape that needs more is
    /// refused before anything is allocated. Otherwise the values are read in chunks into an array that grows with
    /// the bytes actually present, so a short stream that claims a huge shape costs what it holds, not what it claims.
    /// </summary>
    internal static NpyArray Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> prefix = stackalloc byte[8];
        if (ReadAtMost(stream, prefix) < 8 || !prefix[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{source} is not a NumPy .npy file (it does not start with the \\x93NUMPY magic string).");
        }

        var major = prefix[6];
        long headerLength;
        Span<byte> lengthBytes = stackalloc byte[4];
        switch (major)
        {
            case 1:
                RequireBytes(stream, lengthBytes[..2], source, "the header length");
                headerLength = BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes);
                break;
            case 2 or 3:
                RequireBytes(stream, lengthBytes, source, "the header length");
                headerLength = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
                break;
            default:
                throw new InvalidDataException($"{source}: .npy format version {major}.{prefix[7]} is not supported (versions 1.0, 2.0 and 3.0 are).");
        }

        if (headerLength > MaxHeaderLength)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{source}: the .npy header claims {headerLength} bytes; headers of the arrays this reader supports are at most {MaxHeaderLength} bytes, so the file is corrupt."));
        }

        if (Remaining(stream) is { } left && headerLength > left)
        {
            throw new InvalidDataException($"{source}: the .npy header claims {headerLength} bytes but the file ends before that; the file is truncated or corrupt.");
        }

        var headerBytes = new byte[headerLength];
        RequireBytes(stream, headerBytes, source, "the header");
        var headerText = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes).TrimEnd(' ', '\n', '\r', '\0');
        var header = NpyHeader.Parse(headerText, source);
        var (dataType, size, bigEndian) = ParseDescriptor(header.Descriptor, source);
        if (header.Shape.Length == 0)
        {
            throw new InvalidDataException($"{source} holds a 0-dimensional (scalar) array; save at least a 1-D array.");
        }

        var count = ElementCount(header.Shape, source);
        var dataBytes = count * size;
        if (Remaining(stream) is { } available && dataBytes > available)
        {
            throw Truncated(source, header, dataBytes, available);
        }

        var values = ReadValues(stream, count, dataType, size, bigEndian, exactLength: stream.CanSeek, source, header);
        if (header.FortranOrder && header.Shape.Length > 1)
        {
            values = FortranToC(values, header.Shape);
        }

        return new NpyArray(header.Shape, dataType, header.FortranOrder, values);
    }

    /// <summary>The number of elements of <paramref name="shape"/>; refuses more than one array can hold, without overflow.</summary>
    private static long ElementCount(int[] shape, string source)
    {
        if (Array.IndexOf(shape, 0) >= 0)
        {
            return 0;
        }

        long count = 1;
        foreach (var dimension in shape)
        {
            if (count > Array.MaxLength / dimension)
            {
                throw new InvalidDataException($"{source}: an array of shape ({string.Join(", ", shape)}) has more elements than one array can hold ({Array.MaxLength}); it is too large to read into memory at once, or the header is corrupt.");
            }

            count *= dimension;
        }

        return count;
    }

    /// <summary>
    /// Reads and decodes <paramref name="count"/> elements in chunks. With <paramref name="exactLength"/> (the stream's
    /// length was checked) the result is allocated at once; otherwise it grows with the elements read.
    /// </summary>
    private static double[] ReadValues(Stream stream, long count, NpyDataType type, int size, bool bigEndian, bool exactLength, string source, NpyHeader header)
    {
        var values = new double[exactLength ? count : Math.Min(count, ChunkElements)];
        var buffer = new byte[(int)Math.Min(count, ChunkElements) * size];
        long done = 0;
        while (done < count)
        {
            var wanted = (int)Math.Min(ChunkElements, count - done) * size;
            var read = ReadAtMost(stream, buffer.AsSpan(0, wanted));
            var elements = read / size;
            if (done + elements > values.Length)
            {
                Array.Resize(ref values, (int)Math.Min(count, Math.Max(values.Length * 2L, done + elements)));
            }

            Decode(buffer.AsSpan(0, elements * size), type, bigEndian, values.AsSpan((int)done, elements));
            done += elements;
            if (read < wanted)
            {
                throw Truncated(source, header, count * size, (done * size) + (read % size));
            }
        }

        return values;
    }

    private static InvalidDataException Truncated(string source, NpyHeader header, long needed, long present) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{source} is truncated: shape ({string.Join(", ", header.Shape)}) of {header.Descriptor} needs {needed} bytes of data but only {present} are present."));

    /// <summary>How many bytes the stream still holds, when it can tell: a seekable stream, or a verified zip entry (an upper bound).</summary>
    private static long? Remaining(Stream stream) => stream switch
    {
        { CanSeek: true } => Math.Max(0, stream.Length - stream.Position),
        VerifiedZipEntry entry => entry.Remaining,
        _ => null,
    };

    private static (NpyDataType Type, int Size, bool BigEndian) ParseDescriptor(string descriptor, string source)
    {
        if (descriptor.Contains('O', StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source} holds a pickled (object, '{descriptor}') array; pickled/object arrays are not supported. Save a numeric array (np.save(..., allow_pickle=False)).");
        }

        if (descriptor.Length < 3 || descriptor[0] is not ('<' or '>' or '|' or '='))
        {
            throw new InvalidDataException($"{source}: unsupported dtype '{descriptor}'; supported are float32, float64, int32 and int64 ('<f4', '<f8', '<i4', '<i8', either byte order).");
        }

        var type = descriptor[1..] switch
        {
            "f4" => NpyDataType.Float32,
            "f8" => NpyDataType.Float64,
            "i4" => NpyDataType.Int32,
            "i8" => NpyDataType.Int64,
            _ => throw new InvalidDataException($"{source}: unsupported dtype '{descriptor}'; supported are float32, float64, int32 and int64 ('<f4', '<f8', '<i4', '<i8', either byte order). Convert the array with .astype(np.float64) before saving."),
        };

        // '=' is the writer's native order and '|' means "not applicable"; both are little-endian on the platforms .NET runs on.
        var bigEndian = descriptor[0] == '>' || (descriptor[0] is '=' or '|' && !BitConverter.IsLittleEndian);
        return (type, type is NpyDataType.Float32 or NpyDataType.Int32 ? 4 : 8, bigEndian);
    }

    private static void Decode(ReadOnlySpan<byte> raw, NpyDataType type, bool bigEndian, Span<double> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = type switch
            {
                NpyDataType.Float32 => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(raw[(i * 4)..]) : BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]),
                NpyDataType.Float64 => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(raw[(i * 8)..]) : BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]),
                NpyDataType.Int32 => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(raw[(i * 4)..]) : BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]),
                _ => bigEndian ? BinaryPrimitives.ReadInt64BigEndian(raw[(i * 8)..]) : BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]),
            };
        }
    }

    /// <summary>Reorders column-major values (first index fastest) into row-major order (last index fastest).</summary>
    private static double[] FortranToC(double[] values, int[] shape)
    {
        var rank = shape.Length;
        var cStrides = new long[rank];
        cStrides[rank - 1] = 1;
        for (var d = rank - 2; d >= 0; d--)
        {
            cStrides[d] = cStrides[d + 1] * shape[d + 1];
        }

        var result = new double[values.Length];
        var index = new int[rank];
        long cOffset = 0;
        for (var f = 0; f < values.Length; f++)
        {
            result[cOffset] = values[f];

            // Advance the multi-index with the first axis fastest, keeping the C offset in step.
            for (var d = 0; d < rank; d++)
            {
                index[d]++;
                cOffset += cStrides[d];
                if (index[d] < shape[d])
                {
                    break;
                }

                cOffset -= cStrides[d] * shape[d];
                index[d] = 0;
            }
        }

        return result;
    }

    private static void WriteArray<T>(Stream stream, string descriptor, int[] shape, ReadOnlySpan<T> values, int size, SpanAction<T> encode)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = NpyHeader.Format(descriptor, shape);

        // NumPy pads the header with spaces and a final newline so the data start at a multiple of 64 bytes.
        const int Preamble = 10;
        var padded = header.Length + 1;
        padded += (64 - ((Preamble + padded) % 64)) % 64;
        var headerBytes = Encoding.ASCII.GetBytes(header.PadRight(padded - 1) + "\n");
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)headerBytes.Length);
        stream.Write(length);
        stream.Write(headerBytes);

        var buffer = new byte[Math.Min(values.Length, 8192) * size];
        for (var start = 0; start < values.Length; start += buffer.Length / size)
        {
            var count = Math.Min(buffer.Length / size, values.Length - start);
            for (var i = 0; i < count; i++)
            {
                encode(buffer.AsSpan(i * size, size), values[start + i]);
            }

            stream.Write(buffer, 0, count * size);
        }
    }

    private static void RequireBytes(Stream stream, Span<byte> buffer, string source, string what)
    {
        if (ReadAtMost(stream, buffer) < buffer.Length)
        {
            throw new InvalidDataException($"{source} is truncated: it ends inside {what}.");
        }
    }

    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    private delegate void SpanAction<in T>(Span<byte> destination, T value);
}
