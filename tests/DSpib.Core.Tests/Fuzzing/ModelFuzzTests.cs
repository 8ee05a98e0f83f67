using System.Buffers.Binary;
using DSpib.Persistence;
using DSpib.Training;
using TorchSharp;
using Xunit.Abstractions;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of model files and training checkpoints (see <see cref="FuzzTests"/>), from genuine files of
/// small models trained once for the class.
/// </summary>
public sealed class ModelFuzzTests(ModelFuzzTests.Seeds seeds, ITestOutputHelper output) : IClassFixture<ModelFuzzTests.Seeds>
{
    [Fact]
    public void ModelFile_2000Mutations_AreRefusedOrReadCorrectly() => FuzzTests.Fuzz(ModelFuzzTargets.ModelFile(seeds.Files.ModelFiles, resealManifest: false), 2_000, output);

    [Fact]
    public void Checkpoint_2000Mutations_AreRefusedOrReadCorrectly()
    {
        seeds.Files.FinalPhase.Should().Be(TrainingPhase.Joint, "the second checkpoint seed is meant to hold the joint phase's entries");

        FuzzTests.Fuzz(ModelFuzzTargets.Checkpoint(seeds.Files.Checkpoints, seeds.Files.Dspib, seeds.Files.Folder), 2_000, output);
    }

    /// <summary>
    /// libtorch ends the process (an uncaught C++ exception) when a generator is given a state it refuses, so a
    /// checkpoint whose generator state is wrong must be refused before the state reaches it.
    /// </summary>
    [Theory]
    [InlineData("left", 0)]
    [InlineData("left", 625)]
    [InlineData("seeded", 0)]
    [InlineData("next", 625)]
    [InlineData("length", 100)]
    public void Checkpoint_AGeneratorStateLibtorchRefuses_IsCorruptedInsteadOfEndingTheProcess(string field, int value)
    {
        var file = seeds.Files.Checkpoints[1];
        var states = ReadEntry(file, "training/generators.bin");
        var state = states["initialisation"].data<byte>().ToArray();
        switch (field)
        {
            // libtorch's CPU state starts with the seed (8 bytes), left (4), seeded (4) and next (8).
            case "left":
                BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(8), value);
                break;
            case "seeded":
                BinaryPrimitives.WriteInt32LittleEndian(state.AsSpan(12), value);
                break;
            case "next":
                BinaryPrimitives.WriteUInt64LittleEndian(state.AsSpan(16), (ulong)value);
                break;
            default:
                state = state[..value];
                break;
        }

        states["initialisation"].Dispose();
        states["initialisation"] = torch.tensor(state);
        var path = WriteReplaced(file, "training/generators.bin", states, "generator " + field);

        using var initialisation = new torch.Generator(0);
        using var training = new torch.Generator(0);
        var act = () => TrainingCheckpoint.Read(path).RestoreGenerators(initialisation, training);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.Corrupted).WithMessage("*cannot restore the random generators*");
    }

    [Theory]
    [InlineData("updates as float64")]
    [InlineData("updates negative")]
    [InlineData("average of another shape")]
    public void Checkpoint_AScoreAverageThatDoesNotFit_IsCorrupted(string change)
    {
        var file = seeds.Files.Checkpoints[1];
        var states = ReadEntry(file, "training/score-average.bin");
        var replaced = change switch
        {
            "updates as float64" => ("updates", torch.tensor(new[] { 3.0 })),
            "updates negative" => ("updates", torch.tensor(new[] { -1L })),
            _ => ("average", states["average"].reshape(-1, 2)),
        };
        states[replaced.Item1].Dispose();
        states[replaced.Item1] = replaced.Item2;
        var path = WriteReplaced(file, "training/score-average.bin", states, change);
        var checkpoint = TrainingCheckpoint.Read(path);
        using var network = checkpoint.CreateNetwork(seeds.Files.Dspib.Options, seeds.Files.Dspib.Backend);
        using var average = new ParameterAverage(network.Diffusion!.parameters(), 0.9);

        var act = () => checkpoint.RestoreScoreAverage(average);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.Corrupted).WithMessage("*score average*");
    }

    /// <summary>The tensors of one entry of a genuine file; the caller disposes them.</summary>
    private static Dictionary<string, torch.Tensor> ReadEntry(byte[] file, string name)
    {
        var container = Container.Read(new MemoryStream(file), "The checkpoint", FileFormat.Checkpoint);
        container.VerifyEntries(JsonDocuments.Parse(container, CheckpointJson.Default.CheckpointManifest).Entries);
        return TensorEntries.Read(container, name);
    }

    /// <summary>Writes the file with the entry <paramref name="name"/> made of <paramref name="tensors"/> (disposed here), checksums matching.</summary>
    private string WriteReplaced(byte[] file, string name, Dictionary<string, torch.Tensor> tensors, string label)
    {
        var path = Path.Combine(seeds.Files.Folder, $"{label.Replace(' ', '-')}.checkpoint");
        File.WriteAllBytes(path, ModelFuzzTargets.ReplaceEntry(file, name, TensorEntries.Write(tensors)));
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        return path;
    }

    /// <summary>The genuine model files and checkpoints, made once for the class.</summary>
    public sealed class Seeds : IDisposable
    {
        internal ModelSeeds Files { get; } = new();

        public void Dispose() => Files.Dispose();
    }
}
