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
        var container = Container.Read(new MemoryStream(file), "The checkpoint", FileFormat.Checkpoint);
        container.VerifyEntries(ManifestJson.Parse(container, ManifestJson.Default.CheckpointManifest).Entries);
        var states = TensorEntries.Read(container, "training/generators.bin");
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
        var path = Path.Combine(seeds.Files.Folder, $"generator-{field}.checkpoint");
        File.WriteAllBytes(path, ModelFuzzTargets.ReplaceEntry(file, "training/generators.bin", TensorEntries.Write(states)));
        foreach (var tensor in states.Values)
        {
            tensor.Dispose();
        }

        using var initialisation = new torch.Generator(0);
        using var training = new torch.Generator(0);
        var act = () => TrainingCheckpoint.Read(path).RestoreGenerators(initialisation, training);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.Corrupted).WithMessage("*cannot restore the random generators*");
    }

    /// <summary>The genuine model files and checkpoints, made once for the class.</summary>
    public sealed class Seeds : IDisposable
    {
        internal ModelSeeds Files { get; } = new();

        public void Dispose() => Files.Dispose();
    }
}
