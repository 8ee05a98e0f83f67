using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Training;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Training;

/// <summary>
/// A step whose loss or gradient is not finite stops training at once, naming where and why, and never reaches the
/// weights; with recovery, the epoch is trained again from its start with a lower learning rate.
/// </summary>
public sealed class DivergenceTests
{
    private static readonly TrajectorySet Data = ThreeHoleData.Simulate(walkers: 4, frames: 4_000);
    private static readonly StateLabels Labels = InitialLabels.KMeans(Data, 30, seed: 1);

    [Fact]
    public void Fit_WithAHugeLearningRate_StopsAtTheFirstNonFiniteStep_AndLeavesTheModelUntrained()
    {
        var logger = new RecordingLogger();
        using var model = NewModel();

        var fit = () => NewTrainer(logger).WithLearningRate(1e6).Build().Fit(model, Data, Labels);

        // The first step is finite and throws the weights far off; the second step's loss is NaN.
        var thrown = fit.Should().Throw<TrainingDivergedException>().Which;
        thrown.Epoch.Should().Be(1);
        thrown.Step.Should().Be(2);
        double.IsFinite(thrown.Loss).Should().BeFalse();
        thrown.LearningRate.Should().Be(1e6);
        thrown.Report.Should().BeNull();
        thrown.Message.Should().Contain("epoch 1, step 2").And.Contain("WithLearningRate").And.Contain("WithDivergenceRecovery").And.NotContain("beta (WithBeta), shorten");
        model.IsTrained.Should().BeFalse("nothing was learned");
        logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Error).Which.Message.Should().Be(thrown.Message);
    }

    [Fact]
    public void Fit_WhenALaterEpochDiverges_KeepsTheParametersOfThatEpochsStart_AndSaysItIsNotComplete()
    {
        using var model = NewModel();
        double[]? atStartOfEpoch3 = null;
        var progress = new SynchronousProgress<EpochSummary>(summary =>
        {
            if (summary.Epoch == 2)
            {
                // An encoder variance of exp(1e30) makes the next step's latent samples, and so its loss, infinite.
                using var noGrad = no_grad();
                using var huge = 1e30.ToScalar();
                foreach (var (name, parameter) in model.Network.Encoder.named_parameters())
                {
                    if (name.Contains("logVariance", StringComparison.Ordinal))
                    {
                        parameter.fill_(huge);
                    }
                }

                atStartOfEpoch3 = Flatten(model);
            }
        });

        var fit = () => NewTrainer(new RecordingLogger()).Build().Fit(model, Data, Labels, progress);

        var thrown = fit.Should().Throw<TrainingDivergedException>().Which;
        thrown.Epoch.Should().Be(3);
        thrown.Step.Should().Be(1);
        thrown.Report!.History.Should().HaveCount(2);
        model.IsTrained.Should().BeTrue();
        model.Training!.StopReason.Should().Be(TrainingStopReason.Diverged);
        model.Training.IsComplete.Should().BeFalse();
        Flatten(model).Should().Equal(atStartOfEpoch3, "no step of the diverged epoch was applied (the final relabel changes only the decoder and prior)");
        model.Encode(Data.Trajectories[0].ToMatrix()).Cast<double>().Should().OnlyContain(z => double.IsFinite(z));
    }

    [Fact]
    public void Fit_WithDivergenceRecovery_TrainsTheEpochAgainWithALowerRate_AndFinishes()
    {
        var logger = new RecordingLogger();
        using var model = NewModel();

        var report = NewTrainer(logger).WithLearningRate(1e2).WithDivergenceRecovery(retries: 3, learningRateFactor: 1e-3).Build().Fit(model, Data, Labels);

        // 1e2 diverges in the first epoch; 0.1 trains.
        var retries = logger.Messages.Where(m => m.Level == LogLevel.Warning && m.Message.StartsWith("Training diverged", StringComparison.Ordinal)).ToList();
        retries.Should().NotBeEmpty().And.HaveCountLessThanOrEqualTo(3);
        retries[0].Message.Should().Contain("epoch 1,").And.Contain("lowered to 0.1");
        model.IsTrained.Should().BeTrue();
        model.Training!.IsComplete.Should().BeTrue();
        report.History.Should().OnlyContain(e => double.IsFinite(e.TrainLoss) && double.IsFinite(e.TestLoss));
        report.History.Select(e => e.Epoch).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems("a retried epoch is recorded once");
        model.StateCount.Should().BeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public void WithDivergenceRecovery_OutOfRange_IsRefusedNamingTheSetting()
    {
        var negative = () => Trainer.Create().WithDivergenceRecovery(retries: -1).Build();
        var factor = () => Trainer.Create().WithDivergenceRecovery(learningRateFactor: 1).Build();

        negative.Should().Throw<ArgumentException>().WithMessage("*DivergenceRetries*");
        factor.Should().Throw<ArgumentException>().WithMessage("*DivergenceLearningRateFactor*");
    }

    private static DSpibModel NewModel() => DSpibModel.Create().AsSpibBaseline().WithSeed(3).Build();

    private static TrainerBuilder NewTrainer(ILogger logger) =>
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(2, patience: 0, tolerance: 10).WithMaxEpochs(20).WithSeed(5).WithLogger(logger);

    /// <summary>The encoder's parameters.</summary>
    private static double[] Flatten(DSpibModel model)
    {
        using var scope = NewDisposeScope();
        return model.Network.Encoder.parameters().SelectMany(p => p.detach().to(ScalarType.Float64).reshape(-1).data<double>().ToArray()).ToArray();
    }
}
