using DSpib.Core.Tests.Persistence;
using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Diffusion;
using DSpib.Persistence;
using DSpib.Training;
using FluentAssertions;

namespace DSpib.Core.Tests.Model;

/// <summary>
/// A failure of training, generation, saving or loading is logged once, as an error carrying the exception the caller
/// receives, through the logger of the model or trainer; a cancellation is not a failure and logs no error.
/// </summary>
[Collection(TrainedModelsGroup.Name)]
public sealed class FailureLoggingTests(TrainedModels models)
{
    private const int FailureEvent = 400;
    private static readonly TrajectorySet Data = ThreeHoleData.Simulate(walkers: 2, frames: 300);

    [Fact]
    public void ARefusedTemperature_IsLoggedOnce_WithTheException()
    {
        var logger = new RecordingLogger();
        using var model = TrainedModels.Copy(models.Dspib, logger);

        var thrown = FluentActions.Invoking(() => model.Diffusion!.Sample(10, 50.0, SamplerOptions.Ancestral))
            .Should().Throw<ArgumentOutOfRangeException>().Which;

        ShouldHaveLoggedOnly(logger, thrown);
    }

    [Fact]
    public void TrainingThatCannotStart_IsLoggedOnce_WithTheException()
    {
        // State 1 labels only the first 10 frames of each trajectory; at lag 20 no pair leads there.
        var labels = InitialLabels.FromArrays(Data, [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 300).Select(n => n < 10 ? 1 : 0).ToArray())]);
        var logger = new RecordingLogger();
        using var model = DSpibModel.Create().AsSpibBaseline().WithSeed(1).Build();

        var thrown = FluentActions.Invoking(() => Trainer.Create().WithLag(20).WithMaxEpochs(3).WithLogger(logger).Build().Fit(model, Data, labels))
            .Should().Throw<ArgumentException>().Which;

        ShouldHaveLoggedOnly(logger, thrown);
    }

    [Fact]
    public void ACancelledTraining_LogsNoError()
    {
        var labels = InitialLabels.KMeans(Data, 5, seed: 1);
        var logger = new RecordingLogger();
        using var model = DSpibModel.Create().AsSpibBaseline().WithSeed(1).Build();

        FluentActions.Invoking(() => Trainer.Create().WithLag(5).WithMaxEpochs(3).WithLogger(logger).Build().Fit(model, Data, labels, cancellationToken: new CancellationToken(canceled: true)))
            .Should().Throw<TrainingCanceledException>();

        logger.Errors.Should().BeEmpty();
    }

    [Fact]
    public void AFileThatIsNotAModel_IsLoggedOnce_WithTheException()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.dspib");
        File.WriteAllText(path, "these are not the bytes of a model file");
        try
        {
            var logger = new RecordingLogger();

            var thrown = FluentActions.Invoking(() => DSpibModel.Load(path, logger: logger)).Should().Throw<ModelFileException>().Which;

            ShouldHaveLoggedOnly(logger, thrown);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ASaveThatFails_IsLoggedOnce_ThroughTheModelsLogger()
    {
        var logger = new RecordingLogger();
        using var model = TrainedModels.Copy(models.Spib, logger);
        var path = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}", "model.dspib");

        var thrown = FluentActions.Invoking(() => model.Save(path)).Should().Throw<IOException>().Which;

        ShouldHaveLoggedOnly(logger, thrown);
    }

    private static void ShouldHaveLoggedOnly(RecordingLogger logger, Exception thrown)
    {
        var error = logger.Errors.Should().ContainSingle().Which;
        error.EventId.Should().Be(FailureEvent);
        error.Exception.Should().BeSameAs(thrown);
        error.Message.Should().EndWith(thrown.Message);
    }
}
