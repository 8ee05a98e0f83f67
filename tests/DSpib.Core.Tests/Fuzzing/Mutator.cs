using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>The kinds of mutation, each counted separately in a fuzz report.</summary>
internal enum MutationKind
{
    /// <summary>One to eight bits flipped at random places.</summary>
    BitFlip,

    /// <summary>One to sixteen random bytes inserted at one place.</summary>
    Insert,

    /// <summary>One to sixteen bytes removed at one place.</summary>
    Delete,

    /// <summary>The input cut at a random length.</summary>
    Truncate,

    /// <summary>A run of bytes from this or another seed copied over or into a random place.</summary>
    Splice,

    /// <summary>A binary size, count or offset field (zip records, the .npy header length, an .xtc frame's counts and ranges) set to an extreme value.</summary>
    SizeField,

    /// <summary>A decimal number in the text (a .npy shape, a CSV value) replaced by an extreme one.</summary>
    Number,

    /// <summary>A format-specific mutation of the target (an entry of a model file changed and its checksums made to match).</summary>
    Resealed,
}

/// <summary>
/// Seeded mutations of seed inputs. Case <c>i</c> of seed <c>s</c> is always the same mutation, so a failure is
/// reproduced by its seed and case number alone.
/// </summary>
internal static class Mutator
{
    private static readonly uint[] Extreme32 = [0, 1, 2, 0x7F, 0xFF, 0x7FFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFF0, 0xFFFF_FFFE, 0xFFFF_FFFF];

    private static readonly string[] ExtremeNumbers =
    [
        "0", "1", "2", "-1", "255", "65535", "268435455", "2147483647", "2147483648", "4294967295", "4294967296",
        "9223372036854775807", "18446744073709551616", "99999999999999999999999", "1e400", "-1e400", "1e-400", "nan", "inf", "",
    ];

    /// <summary>The random source of one case.</summary>
    public static Random ForCase(int seed, long caseNumber) => new(unchecked((int)((seed * 1_000_003L) + (caseNumber * 7_919L))));

    /// <summary>
    /// One mutation of a seed (sometimes two or three stacked). <paramref name="sizeFields"/> locates binary size fields;
    /// <paramref name="custom"/> is the target's own mutation, used for about one case in five when given;
    /// <paramref name="bigEndian"/> says that the size fields are big-endian.
    /// </summary>
    public static (byte[] Bytes, MutationKind Kind) Mutate(
        Random random,
        IReadOnlyList<byte[]> seeds,
        Func<byte[], List<(int Offset, int Width)>>? sizeFields,
        Func<Random, byte[], byte[]?>? custom,
        bool bigEndian = false)
    {
        var seed = seeds[random.Next(seeds.Count)];
        if (custom is not null && random.Next(5) == 0 && custom(random, seed) is { } resealed)
        {
            return (resealed, MutationKind.Resealed);
        }

        var bytes = seed;
        var kind = MutationKind.BitFlip;
        var stacked = random.Next(4) == 0 ? random.Next(2, 4) : 1;
        for (var i = 0; i < stacked; i++)
        {
            kind = (MutationKind)random.Next((int)MutationKind.Resealed);
            bytes = Apply(kind, random, bytes, seeds, sizeFields, bigEndian);
        }

        return (bytes, kind);
    }

    /// <summary>Applies one mutation of <paramref name="kind"/> (a size-field mutation falls back to a number when there are no fields).</summary>
    public static byte[] Apply(MutationKind kind, Random random, byte[] input, IReadOnlyList<byte[]> seeds, Func<byte[], List<(int Offset, int Width)>>? sizeFields, bool bigEndian = false)
    {
        if (input.Length == 0)
        {
            return [(byte)random.Next(256)];
        }

        switch (kind)
        {
            case MutationKind.BitFlip:
            {
                var result = (byte[])input.Clone();
                var flips = random.Next(1, 9);
                for (var i = 0; i < flips; i++)
                {
                    result[random.Next(result.Length)] ^= (byte)(1 << random.Next(8));
                }

                return result;
            }

            case MutationKind.Insert:
            {
                var inserted = new byte[random.Next(1, 17)];
                random.NextBytes(inserted);
                var at = random.Next(input.Length + 1);
                return [.. input.AsSpan(0, at), .. inserted, .. input.AsSpan(at)];
            }

            case MutationKind.Delete:
            {
                var at = random.Next(input.Length);
                var count = Math.Min(random.Next(1, 17), input.Length - at);
                return [.. input.AsSpan(0, at), .. input.AsSpan(at + count)];
            }

            case MutationKind.Truncate:
                return input[..random.Next(input.Length)];

            case MutationKind.Splice:
            {
                var donor = seeds[random.Next(seeds.Count)];
                var start = random.Next(donor.Length);
                var length = Math.Min(random.Next(1, 65), donor.Length - start);
                var at = random.Next(input.Length);
                if (random.Next(2) == 0)
                {
                    return [.. input.AsSpan(0, at), .. donor.AsSpan(start, length), .. input.AsSpan(at)];
                }

                var result = (byte[])input.Clone();
                donor.AsSpan(start, Math.Min(length, result.Length - at)).CopyTo(result.AsSpan(at));
                return result;
            }

            case MutationKind.SizeField when sizeFields?.Invoke(input) is { Count: > 0 } fields:
            {
                var (offset, width) = fields[random.Next(fields.Count)];
                var result = (byte[])input.Clone();
                var field = result.AsSpan(offset, width);
                var current = (width, bigEndian) switch
                {
                    (2, false) => BinaryPrimitives.ReadUInt16LittleEndian(field),
                    (2, true) => BinaryPrimitives.ReadUInt16BigEndian(field),
                    (_, false) => BinaryPrimitives.ReadUInt32LittleEndian(field),
                    _ => BinaryPrimitives.ReadUInt32BigEndian(field),
                };
                var value = random.Next(3) == 0 ? (uint)(current + random.Next(-2, 3)) : Extreme32[random.Next(Extreme32.Length)];
                switch (width, bigEndian)
                {
                    case (2, false):
                        BinaryPrimitives.WriteUInt16LittleEndian(field, (ushort)value);
                        break;
                    case (2, true):
                        BinaryPrimitives.WriteUInt16BigEndian(field, (ushort)value);
                        break;
                    case (_, false):
                        BinaryPrimitives.WriteUInt32LittleEndian(field, value);
                        break;
                    default:
                        BinaryPrimitives.WriteUInt32BigEndian(field, value);
                        break;
                }

                return result;
            }

            default:
                return ReplaceNumber(random, input);
        }
    }

    /// <summary>Replaces one run of ASCII digits by an extreme number (or inserts one when there is none).</summary>
    private static byte[] ReplaceNumber(Random random, byte[] input)
    {
        var runs = new List<(int Start, int Length)>();
        for (var i = 0; i < input.Length; i++)
        {
            if (char.IsAsciiDigit((char)input[i]) && (i == 0 || !char.IsAsciiDigit((char)input[i - 1])))
            {
                var end = i;
                while (end < input.Length && char.IsAsciiDigit((char)input[end]))
                {
                    end++;
                }

                runs.Add((i, end - i));
            }
        }

        var (start, length) = runs.Count > 0 ? runs[random.Next(runs.Count)] : (random.Next(input.Length + 1), 0);
        var replacement = random.Next(4) == 0 && length > 0
            ? (long.Parse(Encoding.ASCII.GetString(input, start, Math.Min(length, 18)), CultureInfo.InvariantCulture) + random.Next(-1, 2)).ToString(CultureInfo.InvariantCulture)
            : ExtremeNumbers[random.Next(ExtremeNumbers.Length)];
        return [.. input.AsSpan(0, start), .. Encoding.ASCII.GetBytes(replacement), .. input.AsSpan(start + length)];
    }
}
