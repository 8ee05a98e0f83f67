using System.IO.Compression;
using DSpib.Core.Tests.Fuzzing;
using DSpib.Core.Tests.Support;
using DSpib.Data.IO;
using Xunit.Abstractions;

namespace DSpib.Core.Tests.Data.IO;

/// <summary>
/// .npy and .npz files whose size fields lie are refused with
/// <see cref="InvalidDataException"/>, after allocating memory in proportion to the bytes present, not to the sizes
/// claimed; a damaged .npz entry is refused by its CRC-32.
/// </summary>
public class HostileArrayFileTests(ITestOutputHelper output)
{
    /// <summary>
    /// What reading any of these small files may allocate: the header (at most 64 KiB, as bytes and as text), an
    /// 8 Ki-element chunk of doubles and its byte buffer (64 KiB each), and the exception. The claims involved are
    /// gigabytes or more, so a read that allocated for the claim would exceed this by three orders of magnitude.
    /// </summary>
    private const long SmallAllocation = 1 << 20;

    public static TheoryData<string, int, bool> ImpossibleShapes => new()
    {
        // The product overflows 64 bits once multiplied by the element size; without checked arithmetic it wrapped
        // to a small number and the file "read" 1,653 values.
        { "(1519111591, 1517889155)", 13_224, true },
        { "(1519111591, 1517889155)", 13_224, false },
        { "(2147483647, 2147483647)", 64, true },
        { "(2147483647, 2147483647)", 64, false },
        { "(2147483647, 2, 2, 2)", 64, true },

        // 2 GiB claimed, 80 bytes present.
        { "(268435000,)", 80, true },
        { "(268435000,)", 80, false },
    };

    [Theory]
    [MemberData(nameof(ImpossibleShapes))]
    public void Npy_AShapeTheFileCannotHold_IsRefusedWithoutAllocatingForIt(string shape, int dataBytes, bool seekable)
    {
        var bytes = NpyFiles.Build(1, $"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}", new byte[dataBytes]);

        var outcome = Bounded.Run(() => Npy.Read(seekable ? new MemoryStream(bytes) : new OneWayStream(bytes)));
        output.WriteLine($"shape {shape}, {dataBytes} data bytes, seekable {seekable}: {outcome}");

        outcome.Error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain(shape.TrimEnd(')').TrimEnd(','));
        outcome.AllocatedBytes.Should().BeLessThan(SmallAllocation);
    }

    [Fact]
    public void Npy_AHeaderLengthOfGigabytes_IsRefusedWithoutAllocatingIt()
    {
        // Format 2.0 stores the header length in 4 bytes: here 2 GiB - 16, followed by a few bytes.
        var bytes = NpyFiles.Build(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        ZipLayout.Write32(bytes, 8, 0x7FFF_FFF0);

        var outcome = Bounded.Run(() => Npy.Read(new OneWayStream(bytes)));
        output.WriteLine($"header length 2 GiB - 16: {outcome}");

        outcome.Error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("2147483632");
        outcome.AllocatedBytes.Should().BeLessThan(SmallAllocation);
    }

    [Fact]
    public void Npy_AZeroDimensionBesideHugeOnes_ReadsNoValuesAndMakesNoEmptyTrajectories()
    {
        var bytes = NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (268435455, 0, 3), }", []);
        NpyArray? array = null;

        var read = Bounded.Run(() => array = Npy.Read(new MemoryStream(bytes)), TimeSpan.FromSeconds(10));
        var split = Bounded.Run(() => array!.ToMatrices(), TimeSpan.FromSeconds(10));
        output.WriteLine($"shape (268435455, 0, 3): read {read}; ToMatrices {split}");

        read.Error.Should().BeNull();
        array!.Shape.Should().Equal(268435455, 0, 3);
        array.Values.Length.Should().Be(0);
        split.Error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("268435455 trajectories without frames");
        (read.AllocatedBytes + split.AllocatedBytes).Should().BeLessThan(SmallAllocation);
    }

    [Fact]
    public void Npy_EmptyArraysThatAreNotHostile_StillRead()
    {
        Npy.Read(new MemoryStream(NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", []))).ToMatrix().GetLength(1).Should().Be(3);
        Npy.Read(new MemoryStream(NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5, 2), }", []))).ToMatrices().Should().BeEmpty();
    }

    [Fact]
    public void Npy_ALargeArrayFromAStreamThatCannotSeek_ReadsCompletely()
    {
        // More than the reader's first allocation and chunk (65,536 elements), so its array has to grow.
        var values = Enumerable.Range(0, 200_003).Select(i => (i * 0.5) - 7).ToArray();
        var bytes = NpyFiles.Build(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (200003,), }", NpyFiles.Doubles(true, values));

        Npy.Read(new OneWayStream(bytes)).Values.ToArray().Should().Equal(values);
    }

    [Theory]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'shape': (4,), }", "*'shape' appears twice*")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': True, }", "*unknown key(s) 'extra'*")]
    public void Npy_AmbiguousHeaders_AreRefused(string header, string message)
    {
        var act = () => Npy.Read(new MemoryStream(NpyFiles.Build(1, header, new byte[32])));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Npz_AnyBitFlippedInACompressedEntry_IsRefusedOrChangesNothing()
    {
        var original = Frames(out var matrix);
        var entry = ZipLayout.Entry(original, "frames.npy");
        var start = ZipLayout.DataStart(original, entry);
        var compressed = (int)BitConverter.ToUInt32(original, entry.CompressedSizeField);
        var refused = 0;

        for (var bit = 0; bit < compressed * 8; bit++)
        {
            var damaged = (byte[])original.Clone();
            damaged[start + (bit / 8)] ^= (byte)(1 << (bit % 8));
            try
            {
                // A few bits do not change the inflated bytes (such as the final-block flag, when the data end first):
                // those must read as the original.
                Npz.Read(new MemoryStream(damaged))["frames"].ToMatrix().Should().BeEquivalentTo(matrix, o => o.WithStrictOrdering(), $"bit {bit} was accepted");
            }
            catch (InvalidDataException e)
            {
                e.Message.Should().Contain("frames.npy").And.Contain("is corrupted", "a damaged entry is reported as damage (CRC-32, length or deflate stream), whatever its bytes then look like");
                refused++;
            }
        }

        refused.Should().BeGreaterThan(compressed * 8 * 99 / 100, "CRC-32 detects every change of the inflated bytes");
    }

    [Fact]
    public void Npz_ADamagedEntry_IsRefusedNamingTheFileAndTheEntry()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("damaged.npz");
        var damaged = Frames(out _);
        var entry = ZipLayout.Entry(damaged, "frames.npy");
        damaged[ZipLayout.DataStart(damaged, entry) + 100] ^= 0x04;
        File.WriteAllBytes(path, damaged);

        var act = () => Npz.Read(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"{path}:*frames.npy*is corrupted*");
    }

    [Fact]
    public void Npz_ACrcThatDoesNotMatch_IsRefusedForStoredEntriesToo()
    {
        var zip = ZipLayout.Build(CompressionLevel.NoCompression, ("x.npy", NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", NpyFiles.Doubles(false, 1, 2))));
        var entry = ZipLayout.Entry(zip, "x.npy");
        zip[entry.CrcField] ^= 0x01;

        var act = () => Npz.Read(new MemoryStream(zip));

        act.Should().Throw<InvalidDataException>().WithMessage("*'x.npy'*CRC-32*");
    }

    [Fact]
    public void Npz_AnEntryWhoseArrayClaimsTwoGibibytes_IsRefusedWithoutAllocatingThem()
    {
        // A 2 GiB float64 array in the entry's .npy header, 16 bytes of data: the whole archive is under 300 bytes.
        var zip = ZipLayout.Build(CompressionLevel.Optimal, ("x.npy", NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (268435000,), }", new byte[16])));
        zip.Length.Should().BeLessThan(300);

        var outcome = Bounded.Run(() => Npz.Read(new MemoryStream(zip)));
        output.WriteLine($"{zip.Length}-byte .npz claiming 2 GiB: {outcome}");

        outcome.Error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("x.npy").And.Contain("268435000");
        outcome.AllocatedBytes.Should().BeLessThan(SmallAllocation);
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression, 0xFFFF_FFF0u)]
    [InlineData(CompressionLevel.Optimal, 0xFFFF_FFF0u)]
    [InlineData(CompressionLevel.NoCompression, 1u)]
    [InlineData(CompressionLevel.Optimal, 40u)]
    [InlineData(CompressionLevel.NoCompression, 200u)]
    public void Npz_AnEntryThatDoesNotHoldTheLengthItDeclares_IsRefusedNamingIt(CompressionLevel level, uint declared)
    {
        var zip = ZipLayout.Build(level, ("x.npy", NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", NpyFiles.Doubles(false, 1, 2, 3, 4))));
        var entry = ZipLayout.Entry(zip, "x.npy");
        ZipLayout.Write32(zip, entry.UncompressedSizeField, declared);
        ZipLayout.Write32(zip, entry.LocalUncompressedSizeField, declared);

        var outcome = Bounded.Run(() => Npz.Read(new MemoryStream(zip)));
        output.WriteLine($"{level} entry declaring {declared} bytes: {outcome}");

        outcome.Error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("x.npy");
        outcome.AllocatedBytes.Should().BeLessThan(SmallAllocation);
    }

    [Fact]
    public void Npz_TheSameArrayTwice_IsRefusedInsteadOfKeepingOne()
    {
        var one = NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", NpyFiles.Doubles(false, 1));
        var two = NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", NpyFiles.Doubles(false, 2));

        var act = () => Npz.Read(new MemoryStream(ZipLayout.Build(CompressionLevel.Optimal, ("x.npy", one), ("x.npy", two))));

        act.Should().Throw<InvalidDataException>().WithMessage("*'x'*twice*");
    }

    [Fact]
    public void Npz_AFolderEntryWithData_IsRefusedInsteadOfSkipped()
    {
        var act = () => Npz.Read(new MemoryStream(ZipLayout.Build(CompressionLevel.Optimal, ("x.npy/", NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", NpyFiles.Doubles(false, 1))))));

        act.Should().Throw<InvalidDataException>().WithMessage("*'x.npy/'*folder*");
    }

    /// <summary>An archive written by the library of one deflated 40 x 3 array of varied values.</summary>
    private static byte[] Frames(out double[,] matrix)
    {
        matrix = new double[40, 3];
        for (var i = 0; i < matrix.Length; i++)
        {
            matrix[i / 3, i % 3] = Math.Sin(i) * 100;
        }

        using var folder = new TemporaryFolder();
        Npz.Write(folder.File("frames.npz"), new Dictionary<string, double[,]> { ["frames"] = matrix });
        return File.ReadAllBytes(folder.File("frames.npz"));
    }
}
