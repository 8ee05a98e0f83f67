using DSpib.Core.Tests.Persistence;
using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Training;
using Microsoft.Extensions.Logging;

namespace DSpib.Core.Tests.Model;

/// <summary>The newcomer's path through a model: inferred input width, posterior noise, default grids, warnings, training outcome.</summary>
[Collection(TrainedModelsGroup.Name)]
public sealed class ModelApiTests(TrainedModels trained) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dspib-model-api-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void InputDimension_IsTakenFromTheData_AndThenEnforced()
    {
        using var model = DSpibModel.Create().Build();

        TrainedModels.NewTrainer(maxEpochs: 3).Fit(model, trained.Data, trained.Labels);

        model.InputDimension.Should().Be(2);
        model.Encode(trained.Frames).GetLength(1).Should().Be(2);
        FluentActions.Invoking(() => model.Encode(new double[5, 3])).Should().Throw<ArgumentException>().WithParameterName("frames").WithMessage("*3 descriptors*2 inputs*from the data*");
    }

    [Fact]
    public void EncodePosterior_GivesTheMeansOfEncode_AndTheBottlenecksNoise_WhichSamplePosteriorDraws()
    {
        var model = trained.Spib;
        var frames = trained.Frames;

        var posterior = model.EncodePosterior(frames);
        var draws = model.SamplePosterior(frames, seed: 3);

        posterior.Mean.Should().BeEquivalentTo(model.Encode(frames), o => o.WithStrictOrdering());
        var deviations = posterior.StandardDeviation.Cast<double>().ToArray();
        deviations.Should().OnlyContain(s => s > 0 && s == deviations[0], "the reference encoder has one learnable variance");

        // (draw - mean) / sd is standard normal: over 8,000 numbers the mean's standard error is 0.011, so 0.05 is
        // more than four of them; the standard deviation's is 0.008.
        var z = new List<double>();
        for (var n = 0; n < frames.GetLength(0); n++)
        {
            for (var d = 0; d < 2; d++)
            {
                z.Add((draws[n, d] - posterior.Mean[n, d]) / posterior.StandardDeviation[n, d]);
            }
        }

        z.Average().Should().BeApproximately(0, 0.05);
        Math.Sqrt(z.Select(v => v * v).Average()).Should().BeApproximately(1, 0.05);
        model.SamplePosterior(frames, seed: 3).Should().BeEquivalentTo(draws, o => o.WithStrictOrdering());
    }

    [Fact]
    public void FreeEnergies_BuildTheirOwnGrids_FromTheTrainingDatasLatentRange()
    {
        var model = trained.Dspib;
        var outcome = model.Training!;
        outcome.LatentMinimum.Should().HaveCount(2);
        var encoded = model.Encode(trained.Data).SelectMany(m => m.Cast<double>().Chunk(2)).ToArray();
        // Training encodes the frames in other batches than Encode does, and a float32 product may round its last bit
        // differently with the number of rows it has: equal to float32 precision (about 1e-7 relative), not bitwise.
        outcome.LatentMinimum[0].Should().BeApproximately(encoded.Min(p => p[0]), 1e-6, "the latent range is that of the training frames' means");
        outcome.LatentMaximum[1].Should().BeApproximately(encoded.Max(p => p[1]), 1e-6);

        var profile = model.Diffusion!.FreeEnergyProfile(0, temperature: 0.6, steps: 4);

        var span = outcome.LatentMaximum[0] - outcome.LatentMinimum[0];
        profile.Grid.Should().HaveCount(100);
        profile.Grid[0].Should().BeApproximately(outcome.LatentMinimum[0] - (0.25 * span), 1e-12);
        profile.Grid[^1].Should().BeApproximately(outcome.LatentMaximum[0] + (0.25 * span), 1e-12);
        profile.FreeEnergy.Should().Contain(0.0).And.OnlyContain(f => f >= 0);
    }

    [Fact]
    public void FreeEnergyProfile_WithAMarginalGridThatCutsOffDensity_LogsAWarning_AndWithAWideOneDoesNot()
    {
        var path = Path.Combine(_folder, "dspib.dspib");
        trained.Dspib.Save(path);
        var logger = new RecordingLogger();
        using var model = DSpibModel.Load(path, logger: logger);
        double[] grid = [-1, 0, 1];

        model.Diffusion!.FreeEnergyProfile(0, 0.6, grid, marginalGrid: [-0.05, 0.05], steps: 4);
        model.Diffusion!.FreeEnergyProfile(0, 0.6, grid, marginalGrid: Enumerable.Range(0, 41).Select(i => -40 + (2.0 * i)).ToArray(), steps: 4);

        logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Warning)
            .Which.Message.Should().Contain("marginal grid").And.Contain("z1");
    }

    [Fact]
    public void TheTrainingOutcome_IsKeptInTheModelFile()
    {
        var path = Path.Combine(_folder, "spib.dspib");
        trained.Spib.Save(path);

        using var loaded = DSpibModel.Load(path);

        loaded.Training.Should().Be(trained.Spib.Training);
        loaded.Training!.IsComplete.Should().BeTrue();
        loaded.Training.Temperatures.Should().Equal(ThreeHoleData.Temperature);
        loaded.Training.Epochs.Should().Be(trained.SpibReport.History.Count);
    }

    [Fact]
    public void ACancelledModel_SaysSo_AlsoAfterLoading()
    {
        using var model = DSpibModel.Create().Build();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        FluentActions.Invoking(() => TrainedModels.NewTrainer().Fit(model, trained.Data, trained.Labels, cancellationToken: cancellation.Token))
            .Should().Throw<TrainingCanceledException>().Which.Report!.History.Should().BeEmpty();
        var path = Path.Combine(_folder, "cancelled.dspib");
        model.Save(path);
        using var loaded = DSpibModel.Load(path);

        loaded.Training!.IsComplete.Should().BeFalse();
        loaded.Training.StopReason.Should().Be(TrainingStopReason.Cancelled);
        loaded.Training.Epochs.Should().Be(0);
    }
}
