using System.Buffers.Binary;
using System.Globalization;

namespace DSpib.Data.IO;

/// <summary>
/// Reads GROMACS <c>.xtc</c> trajectories: positions stored with a given precision and compressed, in managed code.
/// </summary>
/// <remarks>
/// <para>
/// The reader follows the description of the format in the xdrfile library and in GROMACS's <c>libxdrf</c>
/// (the <c>xdr3dfcoord</c> scheme of F. van Hoesel): all numbers are XDR, that is big-endian 4-byte integers and IEEE
/// floats. A frame is the magic number 1995, the atom count, the step, the time (ps), the box (9 floats, rows are the
/// box vectors, nm), and the positions: the atom count again, then, for at most 9 atoms, 3 floats per atom; otherwise
/// the precision p, the smallest and largest integer position per dimension, the index of the first "small" bit width
/// in the table of magic integers (about 2^(i/3)), the number of bytes that follow, and those bytes (padded to a
/// multiple of 4). Positions are integers round(x p). Each atom is either stored whole, as its offset from the
/// smallest position (the three offsets packed into one mixed-radix number, or into separate bit fields when a
/// dimension spans more than 2^24 values), followed by a flag and a run length; the atoms of a run are then stored as
/// small differences from the atom before, with a bit width that the run length code raises or lowers for the next
/// run. The first two atoms of a run are swapped by the writer (water compresses better so) and swapped back here.
/// The code is written from that description, not taken from either library.
/// </para>
/// <para>
/// Files are read in full; a frame is refused with an <see cref="InvalidDataException"/> naming the file, the frame and
/// its byte offset when its magic number, atom count, precision, ranges, bit widths or byte count are impossible (a
/// precision so small that the range would reach beyond a float is too), when the compressed bits run out before the
/// atoms do, when an atom (stored whole or as a small difference) is decoded outside the smallest and largest positions
/// the frame declares, or when the file ends inside it. Every size is checked against the bytes that remain before
/// anything of that size is allocated. The 64-bit variant of GROMACS 2023 for more than 298 million atoms (magic 2023)
/// is not read.
/// </para>
/// </remarks>
public static class Xtc
{
    private const int Magic = 1995;
    private const int FirstIndex = 9;

    // Bit widths of the small differences: magic integers of about 2^(i/3); the first nine are unused.
    private static readonly int[] MagicInts =
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64,
        80, 101, 128, 161, 203, 256, 322, 406, 512, 645, 812, 1024, 1290,
        1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192, 10321, 13003,
        16384, 20642, 26007, 32768, 41285, 52015, 65536, 82570, 104031,
        131072, 165140, 208063, 262144, 330280, 416127, 524287, 660561,
        832255, 1048576, 1321122, 1664510, 2097152, 2642245, 3329021,
        4194304, 5284491, 6658042, 8388607, 10568983, 13316085, 16777216,
    ];

    /// <summary>Reads every frame of an <c>.xtc</c> file.</summary>
    /// <param name="path">Path of the file.</param>
    /// <exception cref="InvalidDataException">The file is not an xtc file, is corrupt or is truncated; the message names the frame and byte offset.</exception>
    public static CoordinateTrajectory Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads every frame of an <c>.xtc</c> trajectory from a stream (to its end).</summary>
    /// <param name="stream">The stream.</param>
    /// <inheritdoc cref="Read(string)" path="/exception" />
    public static CoordinateTrajectory Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Read(copy.ToArray(), "stream");
    }

    private static CoordinateTrajectory Read(byte[] bytes, string source)
    {
        var reader = new XdrReader(bytes, source);
        CoordinateTrajectoryBuilder? frames = null;
        var box = new double[9];
        double[] positions = [];
        while (reader.Remaining > 0)
        {
            var frame = frames?.FrameCount ?? 0;
            reader.StartFrame(frame);
            var magic = reader.Int("the magic number");
            if (magic != Magic)
            {
                throw reader.Error(magic == 2023
                    ? "the 64-bit xtc variant (magic 2023, for more than 298 million atoms) is not supported"
                    : $"the magic number is {magic}, not {Magic}; this is not an xtc frame");
            }

            var atomCount = reader.Int("the atom count");
            // A frame needs at least one bit per atom (12 bytes per atom when uncompressed), so larger counts cannot be real.
            if (atomCount < 0 || (long)atomCount > 8L * reader.Remaining)
            {
                throw reader.Error($"the atom count {atomCount} is impossible for the {reader.Remaining} bytes that remain");
            }

            if (frames is not null && atomCount != frames.AtomCount)
            {
                throw reader.Error($"the frame has {atomCount} atoms, the first frame {frames.AtomCount}; all frames must have the same atoms");
            }

            frames ??= new CoordinateTrajectoryBuilder(atomCount);
            if (positions.Length != 3 * atomCount)
            {
                positions = new double[3 * atomCount];
            }

            var step = reader.Int("the step");
            var time = reader.Float("the time");
            for (var i = 0; i < 9; i++)
            {
                box[i] = reader.Float("the box");
            }

            var precision = ReadPositions(reader, atomCount, positions);
            frames.Add(positions, time, step, box, precision);
        }

        return (frames ?? throw new InvalidDataException($"{source} is empty; an xtc file has at least one frame.")).Build();
    }

    /// <summary>Reads one frame's positions (nm) into <paramref name="positions"/>; returns the precision (0 when stored as floats).</summary>
    private static double ReadPositions(XdrReader reader, int atomCount, double[] positions)
    {
        var count = reader.Int("the second atom count");
        if (count != atomCount)
        {
            throw reader.Error($"the positions are for {count} atoms, the header says {atomCount}");
        }

        if (atomCount <= 9)
        {
            for (var i = 0; i < 3 * atomCount; i++)
            {
                positions[i] = reader.Float("the positions");
            }

            return 0;
        }

        var precision = reader.Float("the precision");
        if (!(precision > 0) || !float.IsFinite(precision))
        {
            throw reader.Error($"the precision {precision} is not a positive number");
        }

        Span<int> minimum = stackalloc int[3];
        Span<int> maximum = stackalloc int[3];
        Span<long> sizes = stackalloc long[3];
        for (var d = 0; d < 3; d++)
        {
            minimum[d] = reader.Int("the smallest positions");
        }

        var large = false;
        for (var d = 0; d < 3; d++)
        {
            maximum[d] = reader.Int("the largest positions");
            sizes[d] = (long)maximum[d] - minimum[d] + 1;
            if (sizes[d] < 1)
            {
                throw reader.Error($"the largest position {maximum[d]} is below the smallest {minimum[d]} in dimension {d}");
            }

            large |= sizes[d] > 0xffffff;

            // Positions are integers times 1/precision in float; a tiny precision would make them infinite.
            if (!float.IsFinite(minimum[d] * (1f / precision)) || !float.IsFinite(maximum[d] * (1f / precision)))
            {
                throw reader.Error(string.Create(CultureInfo.InvariantCulture, $"the precision {precision} puts the positions {minimum[d]}..{maximum[d]} of dimension {d} beyond the range of a 32-bit float"));
            }
        }

        // Whole atoms: one mixed-radix number of all three offsets, or (when a range exceeds 2^24) three bit fields.
        Span<int> fieldBits = stackalloc int[3];
        var packedBits = 0;
        if (large)
        {
            for (var d = 0; d < 3; d++)
            {
                fieldBits[d] = BitLength((UInt128)sizes[d]);
            }
        }
        else
        {
            packedBits = BitLength((UInt128)sizes[0] * (UInt128)sizes[1] * (UInt128)sizes[2]);
        }

        var smallIndex = reader.Int("the small bit width");
        if (smallIndex < FirstIndex || smallIndex >= MagicInts.Length)
        {
            throw reader.Error($"the small-difference index {smallIndex} is outside {FirstIndex}..{MagicInts.Length - 1}");
        }

        var byteCount = reader.Int("the compressed byte count");
        if (byteCount < 0 || byteCount > reader.Remaining)
        {
            throw reader.Error(byteCount < 0
                ? $"the compressed byte count {byteCount} is negative"
                : $"the compressed positions claim {byteCount} bytes but only {reader.Remaining} remain; the file is truncated");
        }

        var bits = new BitReader(reader.Block(byteCount), reader);
        var inverse = 1f / precision;
        var smaller = MagicInts[Math.Max(FirstIndex, smallIndex - 1)] / 2;
        var smallOffset = MagicInts[smallIndex] / 2;
        Span<int> current = stackalloc int[3];
        Span<int> previous = stackalloc int[3];
        Span<int> next = stackalloc int[3];
        Span<long> smallSizes = stackalloc long[3];
        var run = 0;
        var atom = 0;
        while (atom < atomCount)
        {
            if (large)
            {
                // A field of BitLength(size) bits can hold up to twice the range: an offset beyond it is corrupt.
                for (var d = 0; d < 3; d++)
                {
                    current[d] = InRange(reader, atom, d, minimum[d] + (long)bits.Read(fieldBits[d]), minimum, maximum);
                }
            }
            else
            {
                bits.ReadPacked(packedBits, sizes, current);
                for (var d = 0; d < 3; d++)
                {
                    current[d] += minimum[d];
                }
            }

            current.CopyTo(previous);

            // The flag says whether a new run length (and bit-width change) follows; without it the last run length holds.
            var change = 0;
            if (bits.Read(1) == 1)
            {
                var code = (int)bits.Read(5);
                change = (code % 3) - 1;
                run = code - (code % 3);
            }

            if (run > 0)
            {
                if (atom + (run / 3) >= atomCount)
                {
                    throw reader.Error($"a run of {run / 3} atoms after atom {atom} goes past the {atomCount} atoms of the frame");
                }

                smallSizes.Fill(MagicInts[smallIndex]);
                for (var k = 0; k < run; k += 3)
                {
                    bits.ReadPacked(smallIndex, smallSizes, next);

                    // The writer codes only atoms inside the frame's range; a difference that leaves it is corrupt.
                    for (var d = 0; d < 3; d++)
                    {
                        next[d] = InRange(reader, atom, d, (long)next[d] + previous[d] - smallOffset, minimum, maximum);
                    }

                    if (k == 0)
                    {
                        // The writer stored the run's first atom whole and the atom before it as the first difference.
                        Store(positions, atom++, next, inverse);
                        Store(positions, atom++, current, inverse);
                        next.CopyTo(previous);
                    }
                    else
                    {
                        Store(positions, atom++, next, inverse);
                        next.CopyTo(previous);
                    }
                }
            }
            else
            {
                Store(positions, atom++, current, inverse);
            }

            smallIndex += change;
            if (smallIndex < FirstIndex || smallIndex >= MagicInts.Length)
            {
                throw reader.Error($"the small-difference index moved to {smallIndex}, outside {FirstIndex}..{MagicInts.Length - 1}");
            }

            if (change < 0)
            {
                smallOffset = smaller;
                smaller = smallIndex > FirstIndex ? MagicInts[smallIndex - 1] / 2 : 0;
            }
            else if (change > 0)
            {
                smaller = smallOffset;
                smallOffset = MagicInts[smallIndex] / 2;
            }
        }

        return precision;
    }

    /// <summary>A decoded integer position, refused unless it lies in the frame's range in its dimension.</summary>
    private static int InRange(XdrReader reader, int atom, int dimension, long value, ReadOnlySpan<int> minimum, ReadOnlySpan<int> maximum) =>
        value >= minimum[dimension] && value <= maximum[dimension]
            ? (int)value
            : throw reader.Error($"atom {atom} is decoded at {value} in dimension {dimension}, outside the frame's range {minimum[dimension]}..{maximum[dimension]}; the compressed data are corrupt");

    private static void Store(double[] positions, int atom, ReadOnlySpan<int> value, float inverse)
    {
        for (var d = 0; d < 3; d++)
        {
            positions[(3 * atom) + d] = value[d] * inverse;
        }
    }

    private static int BitLength(UInt128 value) => 128 - (int)UInt128.LeadingZeroCount(value);

    /// <summary>Big-endian XDR numbers from a byte array, with the frame and offset for messages.</summary>
    private sealed class XdrReader(byte[] bytes, string source)
    {
        private int _position;
        private int _frame;
        private int _frameStart;

        public int Remaining => bytes.Length - _position;

        public void StartFrame(int frame)
        {
            _frame = frame;
            _frameStart = _position;
        }

        public int Int(string what) => BinaryPrimitives.ReadInt32BigEndian(Take(4, what));

        public float Float(string what) => BinaryPrimitives.ReadSingleBigEndian(Take(4, what));

        /// <summary>An opaque block of <paramref name="count"/> bytes, then the padding to a multiple of 4.</summary>
        public ReadOnlyMemory<byte> Block(int count)
        {
            var block = new ReadOnlyMemory<byte>(bytes, _position, count);
            _position += count;
            var padding = (4 - (count % 4)) % 4;
            _position += Math.Min(padding, Remaining);
            return block;
        }

        public InvalidDataException Error(string message) =>
            new($"{source}, frame {_frame} (byte {_frameStart}): {message}.");

        private ReadOnlySpan<byte> Take(int count, string what)
        {
            if (Remaining < count)
            {
                throw Error($"the file ends at byte {bytes.Length}, inside {what}; it is truncated");
            }

            var span = bytes.AsSpan(_position, count);
            _position += count;
            return span;
        }
    }

    /// <summary>Reads bit fields, most significant bit first, from the compressed block of one frame.</summary>
    private ref struct BitReader(ReadOnlyMemory<byte> block, XdrReader owner)
    {
        private readonly ReadOnlySpan<byte> _bytes = block.Span;
        private long _bit;

        public ulong Read(int count)
        {
            if (_bit + count > 8L * _bytes.Length)
            {
                throw owner.Error($"the compressed positions end after {_bytes.Length} bytes, before all atoms are read");
            }

            ulong value = 0;
            for (var i = 0; i < count; i++)
            {
                var b = _bytes[(int)(_bit >> 3)];
                value = (value << 1) | (uint)((b >> (7 - (int)(_bit & 7))) & 1);
                _bit++;
            }

            return value;
        }

        /// <summary>
        /// Three integers packed into one number of <paramref name="count"/> bits, stored as bytes with the least
        /// significant first (the last byte holds the remaining high bits): value = (x0 s1 + x1) s2 + x2.
        /// </summary>
        public void ReadPacked(int count, scoped ReadOnlySpan<long> sizes, scoped Span<int> result)
        {
            UInt128 packed = 0;
            var shift = 0;
            while (count > 0)
            {
                var take = Math.Min(8, count);
                packed |= (UInt128)Read(take) << shift;
                shift += 8;
                count -= take;
            }

            for (var d = 2; d >= 1; d--)
            {
                result[d] = (int)(packed % (ulong)sizes[d]);
                packed /= (ulong)sizes[d];
            }

            if (packed >= (ulong)sizes[0])
            {
                throw owner.Error("a packed position is outside the frame's range; the compressed data are corrupt");
            }

            result[0] = (int)packed;
        }
    }
}
