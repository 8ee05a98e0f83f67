using System.IO.Compression;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using DSpib.Core.Tests.Support;
using DSpib.Persistence;
using TorchSharp;

namespace DSpib.Core.Tests.Persistence;

/// <summary>Damaged, foreign and newer files are refused with the right reason; failed saves keep the previous file.</summary>
[Collection(TrainedModelsGroup.Name)]
public sealed class ModelFileDamageTests : IDisposable
{
    private readonly TrainedModels _trained;
    private readonly string _folder = Directory.CreateTempSubdirectory("dspib-damage-").FullName;
    private readonly byte[] _file;

    public ModelFileDamageTests(TrainedModels trained)
    {
        _trained = trained;
        using var stream = new MemoryStream();
        trained.Dspib.Save(stream);
        _file = stream.ToArray();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Load_TruncatedAnywhere_ThrowsTruncated()
    {
        int[] lengths = [0, 1, 3, 4, 30, 100, _file.Length / 4, _file.Length / 2, (3 * _file.Length) / 4, _file.Length - 100, _file.Length - 22, _file.Length - 5, _file.Length - 1];

        foreach (var length in lengths)
        {
            var act = () => Load(_file.AsSpan(0, length).ToArray());

            act.Should().Throw<ModelFileException>($"a file cut at {length} of {_file.Length} bytes is incomplete")
                .Where(e => e.Reason == ModelFileError.Truncated, $"cut at {length}").WithMessage(length == 0 ? "*empty*" : "*truncated*");
        }
    }

    [Fact]
    public void Load_AByteFlippedAnywhere_ThrowsOrGivesTheSameModel()
    {
        var expected = _trained.Dspib.Encode(_trained.Frames);
        var refused = 0;
        var offsets = Enumerable.Range(0, 97).Select(i => (int)((long)i * (_file.Length - 1) / 96)).Distinct().ToArray();

        foreach (var offset in offsets)
        {
            var damaged = (byte[])_file.Clone();
            damaged[offset] ^= 0xFF;
            try
            {
                // Some bytes of a zip file are not read at all (entry times in the local headers, for example):
                // flipping those must give the very same model.
                using var model = Load(damaged);
                model.Encode(_trained.Frames).Should().BeEquivalentTo(expected, $"a flip at {offset} that is accepted must not change the model");
                model.Diffusion!.Sample(16, 0.6, seed: 3).Should().BeEquivalentTo(_trained.Dspib.Diffusion!.Sample(16, 0.6, seed: 3));
            }
            catch (ModelFileException e)
            {
                e.Reason.Should().BeOneOf([ModelFileError.Corrupted, ModelFileError.Truncated, ModelFileError.NotAModelFile], $"offset {offset}");
                refused++;
            }
        }

        refused.Should().BeGreaterThan(offsets.Length / 2, "entry data, which is most of the file, is covered by checksums");
    }

    [Fact]
    public void Load_AChangedWeightEntry_ThrowsCorruptedNamingTheEntry()
    {
        var damaged = Rewrite(_file, archive =>
        {
            var bytes = ReadEntry(archive, "weights/decoder.bin");
            bytes[^1] ^= 0x01;
            ReplaceEntry(archive, "weights/decoder.bin", bytes);
        });

        var act = () => Load(damaged);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.Corrupted).WithMessage("*'weights/decoder.bin' does not match its checksum*");
    }

    [Fact]
    public void Load_AChangedManifest_ThrowsCorrupted()
    {
        var damaged = Rewrite(_file, archive => ReplaceEntry(archive, "manifest.json", Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(ReadEntry(archive, "manifest.json")).Replace("\"seed\": 3", "\"seed\": 4", StringComparison.Ordinal))));

        var act = () => Load(damaged);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.Corrupted).WithMessage("*manifest does not match its checksum*");
    }

    [Fact]
    public void Load_AConsistentManifestThatDoesNotFitTheWeights_ThrowsCorruptedAndLeavesNoTensors()
    {
        // A manifest whose checksum is right but that describes one state more than the decoder weights hold: the
        // network is built and then refused, so everything built must be released, as when a loaded model is
        // disposed. (Building layers leaves a few temporaries to the garbage collector either way, so the two are
        // compared rather than the count before and after.)
        var damaged = EditManifest(_file, manifest => manifest["network"]!["stateCount"] = _trained.Dspib.StateCount + 1);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Load(_file).Dispose();
        var afterDisposedLoad = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        var act = () => Load(damaged);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.Corrupted).WithMessage("*weights/decoder.bin*");
        (DisposeScopeManager.Statistics.ThreadTotalLiveCount - afterDisposedLoad).Should().Be(afterDisposedLoad - before);
    }

    [Fact]
    public void Load_AnotherFormatName_ThrowsNotAModelFile()
    {
        var foreign = EditManifest(_file, manifest => manifest["format"] = "someone-elses-model");

        var act = () => Load(foreign);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NotAModelFile).WithMessage("*'someone-elses-model'*");
    }

    [Fact]
    public void Load_AFutureFormatVersion_ThrowsNewerFormatSayingToUpdate()
    {
        var newer = EditManifest(_file, manifest =>
        {
            manifest["formatVersion"] = 2;
            manifest["libraryVersion"] = "9.0.0";
        });

        var act = () => Load(newer);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NewerFormat).WithMessage("*format version 2*DSpib 9.0.0*up to 1*Update DSpib*");
    }

    [Fact]
    public void Load_ForeignFiles_ThrowNotAModelFile()
    {
        var text = Encoding.UTF8.GetBytes("time,x,y\n0,1.0,2.0\n");
        var otherZip = Zip(("readme.txt", Encoding.UTF8.GetBytes("hello")));
        var otherManifest = Zip(("manifest.json", Encoding.UTF8.GetBytes("{\"name\": \"a package\"}")));

        FluentActions.Invoking(() => Load(text)).Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NotAModelFile).WithMessage("*not a zip archive*");
        FluentActions.Invoking(() => Load(otherZip)).Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NotAModelFile).WithMessage("*no manifest.json*");
        FluentActions.Invoking(() => Load(otherManifest)).Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NotAModelFile).WithMessage("*not a DSpib manifest*");
    }

    [Fact]
    public void Load_EmptyFile_ThrowsTruncatedNamingThePath()
    {
        var path = Path.Combine(_folder, "empty.dspib");
        File.WriteAllBytes(path, []);

        var act = () => DSpibModel.Load(path);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.Truncated).WithMessage($"*'{path}' is empty*");
    }

    [Fact]
    public void Save_FailingMidWrite_LeavesThePreviousFileAndNoTemporaryFile()
    {
        var path = Path.Combine(_folder, "model.dspib");
        _trained.Spib.Save(path);
        var previous = File.ReadAllBytes(path);
        var written = new List<string>();

        var act = () => ModelFile.Save(_trained.Dspib, path, afterEntryWritten: name =>
        {
            written.Add(name);
            if (name == "weights/decoder.bin")
            {
                throw new IOException("Injected failure: the disk is full.");
            }
        });

        act.Should().Throw<IOException>().WithMessage("Injected*");
        written.Should().Equal("manifest.json", "manifest.sha256", "weights/encoder.bin", "weights/decoder.bin");
        File.ReadAllBytes(path).Should().Equal(previous);
        Directory.GetFiles(_folder).Should().Equal(path);
        using var loaded = DSpibModel.Load(path);
        loaded.Options.Prior.Should().Be(DSpib.LatentPrior.VampPrior);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Save_IntoAReadOnlyFolder_ThrowsAndLeavesThePreviousFile()
    {
        var path = Path.Combine(_folder, "model.dspib");
        _trained.Spib.Save(path);
        var previous = File.ReadAllBytes(path);

        using (new ReadOnlyFolder(_folder))
        {
            var act = () => _trained.Dspib.Save(path);

            act.Should().Throw<Exception>().Where(e => e is UnauthorizedAccessException || e is IOException);
        }

        File.ReadAllBytes(path).Should().Equal(previous);
        Directory.GetFiles(_folder).Should().Equal(path);
    }

    private static DSpibModel Load(byte[] content)
    {
        using var stream = new MemoryStream(content);
        return DSpibModel.Load(stream);
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] entries)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var entry = archive.CreateEntry(name).Open();
                entry.Write(bytes);
            }
        }

        return stream.ToArray();
    }

    private static byte[] Rewrite(byte[] file, Action<ZipArchive> edit)
    {
        using var stream = new MemoryStream();
        stream.Write(file);
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
        {
            edit(archive);
        }

        return stream.ToArray();
    }

    /// <summary>Edits the manifest and writes its checksum to match, as a writer of another format or version would.</summary>
    private static byte[] EditManifest(byte[] file, Action<JsonNode> edit) => Rewrite(file, archive =>
    {
        var manifest = JsonNode.Parse(ReadEntry(archive, "manifest.json"))!;
        edit(manifest);
        var bytes = Encoding.UTF8.GetBytes(manifest.ToJsonString());
        ReplaceEntry(archive, "manifest.json", bytes);
        ReplaceEntry(archive, "manifest.sha256", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(SHA256.HashData(bytes))));
    });

    private static byte[] ReadEntry(ZipArchive archive, string name)
    {
        using var entry = archive.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        entry.CopyTo(copy);
        return copy.ToArray();
    }

    private static void ReplaceEntry(ZipArchive archive, string name, byte[] bytes)
    {
        archive.GetEntry(name)!.Delete();
        using var entry = archive.CreateEntry(name).Open();
        entry.Write(bytes);
    }
}
