using DSpib.Core.Tests.Persistence;
using DSpib.Core.Tests.Support;
using DSpib.Diffusion;
using DSpib.Persistence;
using DSpib.Training;
using FluentAssertions;

namespace DSpib.Core.Tests.Model;

/// <summary>
/// Disposing a model, and pointing a file reader at a folder: each ends in the documented exception, and disposing a
/// model that another call is using never frees memory under it.
/// </summary>
[Collection(TrainedModelsGroup.Name)]
public sealed class DisposalTests(TrainedModels models) : IDisposable
{
    // Two batches of the generator, so that the call reports progress between them.
    private const int SampleCount = 40_000;

    private readonly string _folder = Directory.CreateTempSubdirectory("dspib-disposal-").FullName;

    [Fact]
    public async Task Dispose_WhileAnotherThreadSamples_LetsThatCallFinishWithTheSameNumbers_AndRefusesLaterCalls()
    {
        var expected = models.Dspib.Diffusion!.Sample(SampleCount, 0.5, SamplerOptions.Ancestral, seed: 9);
        var model = TrainedModels.Copy(models.Dspib);
        using var firstBatchDone = new ManualResetEventSlim();
        using var disposed = new ManualResetEventSlim();
        var progress = new SynchronousProgress<double>(fraction =>
        {
            if (fraction < 1)
            {
                firstBatchDone.Set();
                disposed.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue("the test thread disposes the model meanwhile");
            }
        });

        var sampling = Task.Run(() => model.Diffusion!.Sample(SampleCount, 0.5, SamplerOptions.Ancestral, seed: 9, progress: progress));
        firstBatchDone.Wait(TimeSpan.FromSeconds(60)).Should().BeTrue();
        model.Dispose();
        disposed.Set();

        var samples = await sampling.WaitAsync(TimeSpan.FromSeconds(60));
        samples.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering(), "the second batch ran on weights the dispose had to leave alone");
        model.IsTrained.Should().BeFalse("the memory was released when the running call returned");
        var later = () => model.Encode(models.Frames);
        later.Should().Throw<ObjectDisposedException>().Which.ObjectName.Should().Contain(nameof(DSpibModel));
    }

    [Fact]
    public async Task Dispose_FromTheProgressOfItsOwnCall_DoesNotDeadlock_AndTheCallFinishes()
    {
        var expected = models.Dspib.Diffusion!.Sample(SampleCount, 0.5, SamplerOptions.Ancestral, seed: 4);
        var model = TrainedModels.Copy(models.Dspib);
        var progress = new SynchronousProgress<double>(_ => model.Dispose());

        // A deadlock would time out here: disposing does not wait for the call it is made from.
        var samples = await Task.Run(() => model.Diffusion!.Sample(SampleCount, 0.5, SamplerOptions.Ancestral, seed: 4, progress: progress)).WaitAsync(TimeSpan.FromSeconds(60));

        samples.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        var later = () => model.Diffusion!.Sample(10, 0.5);
        later.Should().Throw<ObjectDisposedException>();
    }

    [Fact]
    public void Save_AfterDispose_IsObjectDisposed_AndLeavesThePreviousFileAlone()
    {
        var path = Path.Combine(_folder, "model.dspib");
        models.Spib.Save(path);
        var before = File.ReadAllBytes(path);
        var model = TrainedModels.Copy(models.Spib);
        model.Dispose();

        var save = () => model.Save(path);
        var saveToStream = () => model.Save(new MemoryStream());

        save.Should().Throw<ObjectDisposedException>();
        saveToStream.Should().Throw<ObjectDisposedException>();
        File.ReadAllBytes(path).Should().Equal(before);
    }

    [Fact]
    public void Dispose_Twice_AndOfAnUntrainedModel_IsHarmless()
    {
        var model = TrainedModels.Copy(models.Spib);
        model.Dispose();
        model.Dispose();
        using var untrained = DSpibModel.Create().WithInputDimension(2).Build();

        untrained.Dispose();

        model.IsTrained.Should().BeFalse();
        untrained.IsTrained.Should().BeFalse();
    }

    [Fact]
    public void Load_OfAFolder_IsNotAModelFile_NamingTheFolder()
    {
        var load = () => DSpibModel.Load(_folder);
        var resume = () => TrainedModels.NewTrainer().Resume(_folder, models.Spib, models.Data, models.Labels);

        load.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NotAModelFile).WithMessage($"*'{_folder}'*folder*");
        resume.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NotAModelFile).WithMessage("*folder*");
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
