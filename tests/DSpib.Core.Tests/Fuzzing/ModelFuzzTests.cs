using DSpib.Training;
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

    /// <summary>The genuine model files and checkpoints, made once for the class.</summary>
    public sealed class Seeds : IDisposable
    {
        internal ModelSeeds Files { get; } = new();

        public void Dispose() => Files.Dispose();
    }
}
