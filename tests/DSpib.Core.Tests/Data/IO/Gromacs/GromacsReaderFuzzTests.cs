using System.Diagnostics;
using System.Text;
using DSpib.Data.IO;

namespace DSpib.Core.Tests.Data.IO.Gromacs;

/// <summary>
/// Seeded mutations of real GROMACS files: every outcome must be a successful read or the documented
/// <see cref="InvalidDataException"/>, never another exception, a hang or an allocation out of proportion to the file.
/// </summary>
public class GromacsReaderFuzzTests
{
    // The largest file here is 91 KB; a read that allocates more than this was driven by a corrupt size field.
    private const long AllocationLimit = 64L << 20;

    [Theory]
    [InlineData("ala2-vacuum.xtc", 1)]
    [InlineData("ala2-water.xtc", 2)]
    [InlineData("ala2-first9.xtc", 3)]
    [InlineData("ala2-far-ndec6.xtc", 4)]
    public void Xtc_Mutations_ReadOrFailCleanly(string file, int seed)
    {
        var original = GromacsFixtures.Bytes(file);
        var outcomes = Fuzz(original, seed, 1500, bytes => Xtc.Read(new MemoryStream(bytes)));

        // Both outcomes occur, so the mutations reach past the header checks.
        outcomes.Read.Should().BePositive();
        outcomes.Refused.Should().BePositive();
    }

    [Theory]
    [InlineData("ala2-vacuum.gro", 5)]
    [InlineData("ala2-first9.gro", 6)]
    public void Gro_Mutations_ReadOrFailCleanly(string file, int seed)
    {
        var original = GromacsFixtures.Bytes(file);
        var outcomes = Fuzz(original, seed, 1500, bytes => Gro.Read(new StringReader(Encoding.Latin1.GetString(bytes))));

        outcomes.Read.Should().BePositive();
        outcomes.Refused.Should().BePositive();
    }

    [Theory]
    [InlineData("energy.xvg", 7)]
    [InlineData("dihedrals.xvg", 8)]
    public void Xvg_Mutations_ReadOrFailCleanly(string file, int seed)
    {
        var original = GromacsFixtures.Bytes(file);
        var outcomes = Fuzz(original, seed, 2000, bytes => Xvg.Read(new StringReader(Encoding.Latin1.GetString(bytes))));

        outcomes.Read.Should().BePositive();
        outcomes.Refused.Should().BePositive();
    }

    private static (int Read, int Refused) Fuzz(byte[] original, int seed, int count, Action<byte[]> read)
    {
        var random = new Random(seed);
        var (succeeded, refused) = (0, 0);
        var clock = Stopwatch.StartNew();
        for (var n = 0; n < count; n++)
        {
            var mutated = Mutate(original, random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read(mutated);
                succeeded++;
            }
            catch (InvalidDataException ex)
            {
                ex.Message.Should().NotBeNullOrWhiteSpace();
                refused++;
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"Mutation {n} (seed {seed}) threw {ex.GetType().Name}: {ex.Message}", ex);
            }

            (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(AllocationLimit, $"mutation {n} (seed {seed}) must not allocate by a corrupt size");
        }

        // A few milliseconds per read at most; a decoder that loops on corrupt data would blow this by far.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
        return (succeeded, refused);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                // Flip a few bits anywhere.
                for (var k = random.Next(1, 5); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            case 1:
                // Overwrite one aligned 4-byte word (a size, a count, a float) with an extreme or random value.
                var offset = random.Next(bytes.Length / 4) * 4;
                var value = random.Next(4) switch { 0 => int.MaxValue, 1 => int.MinValue, 2 => -1, _ => random.Next() };
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(offset), value);
                return bytes;
            case 2:
                // Truncate.
                return bytes[..random.Next(bytes.Length)];
            case 3:
                // Replace a byte by a digit, a sign, a space, a newline or a dot (for the text formats).
                bytes[random.Next(bytes.Length)] = (byte)"0123456789- \n.&@#"[random.Next(17)];
                return bytes;
            default:
                // Delete or duplicate a span.
                var start = random.Next(bytes.Length);
                var length = random.Next(1, Math.Min(64, bytes.Length - start) + 1);
                return random.Next(2) == 0
                    ? [.. bytes[..start], .. bytes[(start + length)..]]
                    : [.. bytes[..(start + length)], .. bytes[start..]];
        }
    }
}
