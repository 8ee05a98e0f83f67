using System.Buffers.Binary;
using DSpib.Data.IO;

namespace DSpib.Core.Tests.Data.IO.Gromacs;

public class XtcTests
{
    [Theory]
    // gmx trjconv wrote each .xtc from the .gro beside it. Positions agree to the xtc's quantisation, half a unit of
    // 1/precision, plus float32 rounding of values up to 25 nm (25 * 2^-24 < 2e-6).
    [InlineData("ala2-vacuum.xtc", "ala2-vacuum.gro", 1000)]
    [InlineData("ala2-vacuum-ndec2.xtc", "ala2-vacuum.gro", 100)]
    [InlineData("ala2-water.xtc", "ala2-water.gro", 1000)]
    [InlineData("ala2-far-ndec6.xtc", "ala2-far.gro", 1_000_000)]
    public void Read_CompressedFrames_AgreeWithTheGroFileToThePrecision(string xtc, string gro, double precision)
    {
        var expected = Gro.Read(GromacsFixtures.File(gro)).Trajectory;

        var trajectory = Xtc.Read(GromacsFixtures.File(xtc));

        trajectory.FrameCount.Should().Be(expected.FrameCount);
        trajectory.AtomCount.Should().Be(expected.AtomCount);
        trajectory.Precisions.Should().AllSatisfy(p => p.Should().Be(precision));
        // xtc stores times as float32; the .gro title as text (when it has one).
        foreach (var (time, expectedTime) in trajectory.Times.Zip(expected.Times).Where(t => !double.IsNaN(t.Second)))
        {
            time.Should().BeApproximately(expectedTime, 1e-6 * Math.Max(1, Math.Abs(expectedTime)));
        }
        foreach (var (step, expectedStep) in trajectory.Steps.Zip(expected.Steps).Where(s => s.Second >= 0))
        {
            step.Should().Be(expectedStep);
        }
        MaxDifference(trajectory.ToArray(), expected.ToArray()).Should().BeLessThanOrEqualTo((0.5 / precision) + 2e-6);
        trajectory.Box(0).Should().BeEquivalentTo(expected.Box(0));
    }

    [Fact]
    public void Read_AtTheGroPrecision_IsExactUpToFloatRounding()
    {
        // The .gro positions have 3 decimals, so precision 1000 stores them without quantisation error: what remains is
        // float32 rounding of values below 7 nm (7 * 2^-24 < 1e-6). A decoding error moves atoms by 1e-3 nm or more.
        var expected = Gro.Read(GromacsFixtures.File("ala2-water.gro")).Trajectory.ToArray();

        var read = Xtc.Read(GromacsFixtures.File("ala2-water.xtc")).ToArray();

        MaxDifference(read, expected).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Read_NineAtoms_AreStoredAsPlainFloats()
    {
        var expected = Gro.Read(GromacsFixtures.File("ala2-first9.gro")).Trajectory;

        var trajectory = Xtc.Read(GromacsFixtures.File("ala2-first9.xtc"));

        trajectory.FrameCount.Should().Be(6);
        trajectory.AtomCount.Should().Be(9);
        trajectory.Precisions.Should().AllSatisfy(p => p.Should().Be(0));
        MaxDifference(trajectory.ToArray(), expected.ToArray()).Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Read_FromAStream_IsTheSameAsFromTheFile()
    {
        using var stream = new MemoryStream(GromacsFixtures.Bytes("ala2-vacuum.xtc"));

        Xtc.Read(stream).ToArray().Should().BeEquivalentTo(Xtc.Read(GromacsFixtures.File("ala2-vacuum.xtc")).ToArray());
    }

    [Fact]
    public void Read_NotAnXtcFile_SaysSo()
    {
        var act = () => Xtc.Read(new MemoryStream(GromacsFixtures.Bytes("energy.xvg")));

        act.Should().Throw<InvalidDataException>().WithMessage("stream, frame 0 (byte 0): the magic number is * not 1995; this is not an xtc frame.");
    }

    [Fact]
    public void Read_TruncatedInsideTheCompressedBlock_NamesTheFrameAndOffset()
    {
        var bytes = GromacsFixtures.Bytes("ala2-vacuum.xtc");
        var secondFrame = FrameOffsets(bytes)[1];

        var act = () => Xtc.Read(new MemoryStream(bytes[..(secondFrame + 100)]));

        act.Should().Throw<InvalidDataException>().WithMessage($"stream, frame 1 (byte {secondFrame}): the compressed positions claim * bytes but only * remain; the file is truncated.");
    }

    [Fact]
    public void Read_TruncatedInsideTheHeader_NamesWhatIsMissing()
    {
        var bytes = GromacsFixtures.Bytes("ala2-vacuum.xtc");
        var third = FrameOffsets(bytes)[2];

        var act = () => Xtc.Read(new MemoryStream(bytes[..(third + 14)]));

        act.Should().Throw<InvalidDataException>().WithMessage($"stream, frame 2 (byte {third}): the file ends at byte {third + 14}, inside the time; it is truncated.");
    }

    [Fact]
    public void Read_AnImpossibleAtomCount_IsRefusedBeforeAllocating()
    {
        var bytes = GromacsFixtures.Bytes("ala2-vacuum.xtc");
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), int.MaxValue);

        var act = () => Xtc.Read(new MemoryStream(bytes));

        act.Should().Throw<InvalidDataException>().WithMessage("*frame 0 (byte 0): the atom count 2147483647 is impossible*");
    }

    [Fact]
    public void Read_ABadSmallBitWidth_IsRefused()
    {
        var bytes = GromacsFixtures.Bytes("ala2-vacuum.xtc");
        // Header (4 ints), box (9 floats), atom count, precision, 6 range ints, then the small-difference index.
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * (4 + 9 + 1 + 1 + 6)), 3);

        var act = () => Xtc.Read(new MemoryStream(bytes));

        act.Should().Throw<InvalidDataException>().WithMessage("*frame 0 (byte 0): the small-difference index 3 is outside 9..72.");
    }

    [Fact]
    public void Read_FramesWithDifferentAtomCounts_AreRefused()
    {
        var bytes = GromacsFixtures.Bytes("ala2-vacuum.xtc").Concat(GromacsFixtures.Bytes("ala2-first9.xtc")).ToArray();

        var act = () => Xtc.Read(new MemoryStream(bytes));

        act.Should().Throw<InvalidDataException>().WithMessage("*frame 21 (byte 3608): the frame has 9 atoms, the first frame 22*");
    }

    [Fact]
    public void Read_ARunOfSmallDifferencesLeavingTheFrameRange_IsRefused()
    {
        // One bit of frame 0's compressed block flipped: the small differences of a run then put atom 7 at y = 3283
        // units, two above the largest y the frame declares (3281), where no writer puts an atom.
        var bytes = GromacsFixtures.Bytes("ala2-vacuum.xtc");
        bytes[112] ^= 1 << 4;

        var act = () => Xtc.Read(new MemoryStream(bytes));

        act.Should().Throw<InvalidDataException>().WithMessage("stream, frame 0 (byte 0): atom 7 is decoded at 3283 in dimension 1, outside the frame's range 2770..3281; the compressed data are corrupt.");
    }

    [Fact]
    public void Read_AWholeAtomOutsideALargeFrameRange_IsRefused()
    {
        // With a range above 2^24 units each dimension of a whole atom is its own bit field, which can hold more than
        // the range: the top bit of atom 0's z field flipped puts it at 3446288, above the frame's largest z, 3324000.
        var bytes = GromacsFixtures.Bytes("ala2-far-ndec6.xtc");
        bytes[97] ^= 1 << 3;

        var act = () => Xtc.Read(new MemoryStream(bytes));

        act.Should().Throw<InvalidDataException>().WithMessage("stream, frame 0 (byte 0): atom 0 is decoded at 3446288 in dimension 2, outside the frame's range 2763000..3324000; the compressed data are corrupt.");
    }

    [Fact]
    public void Read_APrecisionThatPutsTheRangeBeyondFloats_IsRefused()
    {
        // The top exponent bit of frame 0's precision (1000) flipped gives 2.9e-36: 1/precision is finite, but the
        // smallest x, 2665 units, would be 9e38 nm, beyond a float, and every position read as infinity.
        var bytes = GromacsFixtures.Bytes("ala2-vacuum.xtc");
        bytes[56] ^= 0x40;

        var act = () => Xtc.Read(new MemoryStream(bytes));

        act.Should().Throw<InvalidDataException>().WithMessage("stream, frame 0 (byte 0): the precision 2.9387359E-36 puts the positions 2665..3272 of dimension 0 beyond the range of a 32-bit float.");
    }

    private static List<int> FrameOffsets(byte[] bytes)
    {
        // Each compressed frame: 23 ints before the byte count, then the bytes padded to 4.
        var offsets = new List<int>();
        for (var offset = 0; offset < bytes.Length;)
        {
            offsets.Add(offset);
            var count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset + (4 * 22)));
            offset += (4 * 23) + ((count + 3) / 4 * 4);
        }

        return offsets;
    }

    private static double MaxDifference(double[,,] a, double[,,] b)
    {
        a.Length.Should().Be(b.Length);
        var max = 0.0;
        for (var f = 0; f < a.GetLength(0); f++)
        {
            for (var i = 0; i < a.GetLength(1); i++)
            {
                for (var d = 0; d < 3; d++)
                {
                    max = Math.Max(max, Math.Abs(a[f, i, d] - b[f, i, d]));
                }
            }
        }

        return max;
    }
}
