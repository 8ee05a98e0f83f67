using System.IO.Compression;
using DSpib.Core.Tests.Fuzzing;
using DSpib.Core.Tests.Support;
using DSpib.Persistence;
using Xunit.Abstractions;

namespace DSpib.Core.Tests.Persistence;

/// <summary>
/// The model-file container trusts no zip size field: an entry it does not know is ignored without being inflated,
/// and an entry that declares more (or less) than it holds is refused before memory is spent on the claim.
/// </summary>
[Collection(TrainedModelsGroup.Name)]
public sealed class ModelFileSizeFieldTests
{
    /// <summary>The unknown entry's inflated size: far above anything a load of this small model allocates.</summary>
    private const int ExtraEntryBytes = 64 << 20;

    private readonly byte[] _file;

    private readonly ITestOutputHelper _output;

    public ModelFileSizeFieldTests(TrainedModels trained, ITestOutputHelper output)
    {
        _output = output;
        using var stream = new MemoryStream();
        trained.Dspib.Save(stream);
        _file = stream.ToArray();
    }

    [Fact]
    public void Load_AnUnknownEntryInflatingToMegabytes_IsIgnoredWithoutInflatingIt()
    {
        var withExtra = AddEntry(_file, "extra/blob.bin", ExtraEntryBytes);
        var plain = LoadMeasured(_file);

        var extra = LoadMeasured(withExtra);
        _output.WriteLine($"{_file.Length}-byte model file: {plain}; with a 64 MiB unknown entry ({withExtra.Length} bytes): {extra}");

        extra.Error.Should().BeNull();
        // Loading reads the file into memory once, so the extra entry may cost its compressed bytes (a few times,
        // for the copies a stream makes), never its 64 MiB of inflated bytes.
        var compressedExtra = withExtra.Length - _file.Length;
        extra.AllocatedBytes.Should().BeLessThan(plain.AllocatedBytes + (4L * compressedExtra) + (1 << 20));
    }

    [Theory]
    [InlineData(0xFFFF_FFF0u)]
    [InlineData(0x7FFF_FFFFu)]
    [InlineData(100u)]
    public void Load_AListedEntryDeclaringAnotherLength_IsCorruptedBeforeAllocatingForIt(uint declared)
    {
        var damaged = (byte[])_file.Clone();
        var entry = ZipLayout.Entry(damaged, "weights/encoder.bin");
        ZipLayout.Write32(damaged, entry.UncompressedSizeField, declared);
        ZipLayout.Write32(damaged, entry.LocalUncompressedSizeField, declared);
        var plain = LoadMeasured(_file);

        var outcome = LoadMeasured(damaged);
        _output.WriteLine($"weights/encoder.bin declaring {declared} bytes: {outcome}; the intact file: {plain}");

        outcome.Error.Should().BeOfType<ModelFileException>().Which.Reason.Should().Be(ModelFileError.Corrupted);
        outcome.Error!.Message.Should().Contain("'weights/encoder.bin'");
        outcome.AllocatedBytes.Should().BeLessThan(plain.AllocatedBytes + (1 << 20));
    }

    [Fact]
    public void Load_AListedEntryWhoseCompressedSizeExceedsTheFile_IsCorrupted()
    {
        var damaged = (byte[])_file.Clone();
        var entry = ZipLayout.Entry(damaged, "weights/decoder.bin");
        ZipLayout.Write32(damaged, entry.CompressedSizeField, 0x7FFF_FFFF);

        var outcome = LoadMeasured(damaged);

        outcome.Error.Should().BeOfType<ModelFileException>().Which.Reason.Should().Be(ModelFileError.Corrupted);
        outcome.Error!.Message.Should().Contain("'weights/decoder.bin'");
    }

    [Fact]
    public void Load_AListedEntryWithAnotherCrc_IsCorruptedNamingIt()
    {
        var damaged = (byte[])_file.Clone();
        var entry = ZipLayout.Entry(damaged, "weights/vamp-prior.bin");
        damaged[entry.CrcField] ^= 0x10;

        var outcome = LoadMeasured(damaged);

        outcome.Error.Should().BeOfType<ModelFileException>().Which.Message.Should().Contain("'weights/vamp-prior.bin'").And.Contain("CRC-32");
    }

    [Fact]
    public void Load_TwoEntriesOfTheSameName_IsCorrupted()
    {
        using var stream = new MemoryStream();
        stream.Write(_file);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var copy = archive.CreateEntry("weights/encoder.bin").Open();
            copy.Write([1, 2, 3]);
        }

        var outcome = LoadMeasured(stream.ToArray());

        outcome.Error.Should().BeOfType<ModelFileException>().Which.Message.Should().Contain("two entries named 'weights/encoder.bin'");
    }

    [Fact]
    public void Load_AStreamThatEndsBeforeTheLengthItReports_ReadsWhatItHolds()
    {
        // A file cut while it is read: its length was taken before the end went away.
        using var stream = new LengthOverstated(_file, extra: 1000);

        using var model = DSpibModel.Load(stream);

        model.IsTrained.Should().BeTrue();
    }

    private static Bounded.Outcome LoadMeasured(byte[] file) => Bounded.Run(() =>
    {
        using var stream = new MemoryStream(file);
        DSpibModel.Load(stream).Dispose();
    });

    /// <summary>The file with one more entry of <paramref name="bytes"/> zero bytes (deflated to about a thousandth).</summary>
    private static byte[] AddEntry(byte[] file, string name, int bytes)
    {
        using var stream = new MemoryStream();
        stream.Write(file);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            using var entry = archive.CreateEntry(name, CompressionLevel.Fastest).Open();
            var zeros = new byte[1 << 20];
            for (var written = 0; written < bytes; written += zeros.Length)
            {
                entry.Write(zeros);
            }
        }

        return stream.ToArray();
    }

    private sealed class LengthOverstated(byte[] bytes, int extra) : MemoryStream(bytes, writable: false)
    {
        public override long Length => base.Length + extra;
    }
}
