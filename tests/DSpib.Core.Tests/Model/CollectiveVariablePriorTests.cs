using System.IO.Compression;
using DSpib.Core.Tests.Persistence;
using DSpib.Core.Tests.Support;
using DSpib.Diffusion;
using DSpib.Training;

namespace DSpib.Core.Tests.Model;

/// <summary>
/// The two diffusion models of a D-SPIB model: the joint prior of the bottleneck's noisy latent samples, and the
/// collective-variable prior of the encoder means, fitted after training.
/// </summary>
[Collection(TrainedModelsGroup.Name)]
public sealed class CollectiveVariablePriorTests(TrainedModels trained)
{
    [Fact]
    public void DSpibModel_HasBothPriors_NamedByTheVariableTheyDescribe_AndTheyDiffer()
    {
        var model = trained.Dspib;

        model.Diffusion!.Variable.Should().Be(LatentVariable.EncoderSamples);
        model.CollectiveVariableDiffusion!.Variable.Should().Be(LatentVariable.EncoderMeans);
        model.CollectiveVariableDiffusion.IsAvailable.Should().BeTrue();
        model.CollectiveVariableDiffusion.ReferenceTemperature.Should().Be(model.Diffusion.ReferenceTemperature);

        // Fitted on other data from the joint prior's weights: the same seed gives other samples.
        var fromMeans = model.CollectiveVariableDiffusion.Sample(200, ThreeHoleData.Temperature, seed: 3);
        var fromSamples = model.Diffusion.Sample(200, ThreeHoleData.Temperature, seed: 3);
        fromMeans.Cast<double>().Should().NotEqual(fromSamples.Cast<double>());
        trained.Spib.CollectiveVariableDiffusion.Should().BeNull("the SPIB baseline has no diffusion model");
    }

    [Fact]
    public void Fit_KeepsTheBestTestLoss_WhichIsNoWorseThanTheJointPriorsOnTheMeans_AndReportsIt()
    {
        var logger = new RecordingLogger();
        using var model = TrainedModels.NewDiffusionModel(TemperatureLaw.Linear);

        var report = Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(2, patience: 0, tolerance: 10).WithJointTraining(patience: 0, noiseDraws: 2)
            .WithMaxEpochs(20).WithSeed(5).WithCollectiveVariablePrior(maxEpochs: 8, patience: 3).WithLogger(logger).Build()
            .Fit(model, trained.Data, trained.Labels);

        var fit = report.CollectiveVariablePrior!;
        fit.Epochs.Should().BeInRange(1, 8);
        double.IsFinite(fit.InitialTestLoss).Should().BeTrue();
        fit.TestLoss.Should().BeLessThanOrEqualTo(fit.InitialTestLoss, "the starting weights are a candidate, so the kept loss is at most theirs");
        fit.Elapsed.Should().BePositive().And.BeLessThan(report.Elapsed, "the report's time includes the fit");
        logger.Messages.Count(m => m.Message.StartsWith("Collective-variable prior, epoch", StringComparison.Ordinal)).Should().Be(fit.Epochs);
        logger.Messages.Should().ContainSingle(m => m.Message.StartsWith("Collective-variable prior fitted", StringComparison.Ordinal));
        trained.SpibReport.CollectiveVariablePrior.Should().BeNull("the SPIB baseline has no diffusion model");
    }

    [Fact]
    public void TrainedWithoutIt_SaysSoAndThrowsNamingTheFix_AndSavesNoEntryForIt()
    {
        using var model = TrainedModels.NewDiffusionModel(TemperatureLaw.Linear);
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(0).WithJointTraining(patience: 0, noiseDraws: 2)
            .WithMaxEpochs(2).WithSeed(5).WithCollectiveVariablePrior(maxEpochs: 0).Build()
            .Fit(model, trained.Data, trained.Labels);

        model.Diffusion!.IsAvailable.Should().BeTrue();
        model.CollectiveVariableDiffusion!.IsAvailable.Should().BeFalse();
        var sample = () => model.CollectiveVariableDiffusion.Sample(10, ThreeHoleData.Temperature);
        sample.Should().Throw<InvalidOperationException>().WithMessage("*no collective-variable prior*WithCollectiveVariablePrior()*");

        using var stream = new MemoryStream();
        model.Save(stream);
        using (var archive = new ZipArchive(new MemoryStream(stream.ToArray()), ZipArchiveMode.Read))
        {
            archive.Entries.Select(e => e.FullName).Should().NotContain("weights/collective-variable-prior.bin");
        }

        stream.Position = 0;
        using var loaded = DSpibModel.Load(stream);
        loaded.CollectiveVariableDiffusion!.IsAvailable.Should().BeFalse();
        loaded.Diffusion!.Sample(10, ThreeHoleData.Temperature).Should().NotBeNull();
    }

    [Fact]
    public void BeforeTraining_NeitherIsAvailable()
    {
        using var model = TrainedModels.NewDiffusionModel(TemperatureLaw.Linear);

        model.Diffusion!.IsAvailable.Should().BeFalse();
        model.CollectiveVariableDiffusion!.IsAvailable.Should().BeFalse();
    }

    [Theory]
    [InlineData(-1, 10, "CollectiveVariablePriorEpochs")]
    [InlineData(10, 0, "CollectiveVariablePriorPatience")]
    public void Build_RefusesBadSettings_NamingThem(int epochs, int patience, string setting)
    {
        var build = () => Trainer.Create().WithCollectiveVariablePrior(epochs, patience).Build();

        build.Should().Throw<ArgumentException>().Where(e => e.Message.Contains(setting, StringComparison.Ordinal) && e.Message.Contains("WithCollectiveVariablePrior", StringComparison.Ordinal));
    }
}
