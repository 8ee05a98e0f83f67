using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Training;

namespace DSpib.Core.Tests.Training;

public class TrainerTests
{
    /// <summary>4 walkers x 4,000 frames: enough for SPIB to merge 30 initial states, small enough for seconds per fit.</summary>
    private static TrajectorySet SmallData() => ThreeHoleData.Simulate(walkers: 4, frames: 4_000);

    private static DSpibModel NewModel(int seed = 42) =>
        DSpibModel.Create().WithInputDimension(2).WithLatentDimension(2).WithLinearEncoder().WithDecoder(16, 16).WithSeed(seed).Build();

    private static Trainer NewTrainer(int seed = 42, int maxEpochs = 40, int refinements = 3, double beta = 1e-2) =>
        Trainer.Create().WithLag(20).WithBatchSize(512).WithBeta(beta).WithRefinement(refinements, patience: 2, tolerance: 1e-3).WithMaxEpochs(maxEpochs).WithSeed(seed).Build();

    [Fact]
    public void Fit_SameSeeds_GivesBitwiseIdenticalLosses()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);

        using var first = NewModel();
        var a = NewTrainer(maxEpochs: 6).Fit(first, data, labels);
        using var second = NewModel();
        var b = NewTrainer(maxEpochs: 6).Fit(second, data, labels);

        a.History.Select(h => h.TrainLoss).Should().Equal(b.History.Select(h => h.TrainLoss));
        a.History.Select(h => h.TestLoss).Should().Equal(b.History.Select(h => h.TestLoss));
        first.Encode(data.Trajectories[0].ToMatrix()).Should().BeEquivalentTo(second.Encode(data.Trajectories[0].ToMatrix()));
    }

    [Fact]
    public void Fit_DifferentTrainingSeed_GivesDifferentLosses()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);

        using var first = NewModel();
        var a = NewTrainer(seed: 1, maxEpochs: 2).Fit(first, data, labels);
        using var second = NewModel();
        var b = NewTrainer(seed: 2, maxEpochs: 2).Fit(second, data, labels);

        a.History[^1].TrainLoss.Should().NotBe(b.History[^1].TrainLoss);
    }

    [Fact]
    public void Fit_Refinement_ShrinksTheStatesAndKeepsEverythingConsistent()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        using var model = NewModel();

        var report = NewTrainer().Fit(model, data, labels);

        report.Refinements.Should().NotBeEmpty();
        report.Refinements[0].StatesBefore.Should().Be(30);
        report.Refinements[0].StatesAfter.Should().BeLessThan(30);
        report.Refinements.Should().OnlyContain(r => r.StatesAfter <= r.StatesBefore);
        report.Refinements[^1].IsFinal.Should().BeTrue();
        model.StateCount.Should().Be(report.Refinements[^1].StatesAfter);
        report.StatePopulations.Should().HaveCount(model.StateCount);
        report.StatePopulations.Sum().Should().BeApproximately(1.0, 1e-9);
        report.History.Should().OnlyContain(h => h.Populations.Count == h.StateCount);
        model.PredictStates(data.Trajectories[0].ToMatrix()).Should().OnlyContain(s => s >= 0 && s < model.StateCount);
    }

    [Fact]
    public void EncodeAndPredictStates_OfATrajectorySet_AreThoseOfEachTrajectoryInOrder()
    {
        var data = SmallData();
        using var model = NewModel();
        NewTrainer(maxEpochs: 10, refinements: 0).Fit(model, data, InitialLabels.KMeans(data, 30, seed: 1));

        var encoded = model.Encode(data);
        var states = model.PredictStates(data);

        encoded.Should().HaveCount(data.Trajectories.Count);
        for (var i = 0; i < data.Trajectories.Count; i++)
        {
            var frames = data.Trajectories[i].ToMatrix();
            encoded[i].Should().BeEquivalentTo(model.Encode(frames), options => options.WithStrictOrdering());
            states.ForTrajectory(i).ToArray().Should().Equal(model.PredictStates(frames));
        }

        encoded[0][0, 0].Should().NotBe(encoded[1][0, 0], "different trajectories start in different places");
        var wrongWidth = TrajectorySet.Create().Add(new double[10, 3], temperature: 1).Build();
        FluentActions.Invoking(() => model.Encode(wrongWidth)).Should().Throw<ArgumentException>().WithParameterName("data");
    }

    [Fact]
    public void Fit_CancelledAfterThreeEpochs_StopsAndLeavesAUsableModel()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        using var model = NewModel();
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochSummary>(e =>
        {
            if (e.Epoch == 3)
            {
                cancellation.Cancel();
            }
        });

        var cancelled = FluentActions.Invoking(() => NewTrainer(maxEpochs: 100).Fit(model, data, labels, progress, cancellation.Token))
            .Should().Throw<TrainingCanceledException>().Which;

        var report = cancelled.Report!;
        report.WasCancelled.Should().BeTrue();
        report.History.Should().HaveCount(3);
        cancelled.CancellationToken.Should().Be(cancellation.Token);
        model.Training!.IsComplete.Should().BeFalse("a cancelled run is not a finished one");
        model.Training.StopReason.Should().Be(TrainingStopReason.Cancelled);
        model.Training.Epochs.Should().Be(3);
        model.IsTrained.Should().BeTrue();
        var z = model.Encode(data.Trajectories[0].ToMatrix());
        z.Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
        model.PredictStates(data.Trajectories[0].ToMatrix()).Should().OnlyContain(s => s >= 0 && s < model.StateCount);
    }

    [Fact]
    public void Fit_CollapsedRepresentation_ThrowsSayingWhatToChange()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        using var model = NewModel();

        // An overwhelming bottleneck squeezes every frame onto the prior, so the decoder can only predict one state.
        var act = () => NewTrainer(beta: 1e4, maxEpochs: 200, refinements: 10).Fit(model, data, labels);

        act.Should().Throw<InvalidOperationException>().WithMessage("*left 1 state*Lower beta*");
    }

    [Fact]
    public void Fit_OnAFloat64Backend_TrainsAndEncodesInDoublePrecision()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        using var model = DSpibModel.Create().WithInputDimension(2).OnDevice(DSpib.Devices.DeviceBackend.Cpu(precision: DSpib.Devices.TensorPrecision.Float64)).Build();

        var report = NewTrainer(maxEpochs: 3).Fit(model, data, labels);

        report.History.Should().HaveCount(3);
        report.History.Should().OnlyContain(h => double.IsFinite(h.TrainLoss));
        model.Encode(data.Trajectories[0].ToMatrix()).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void Fit_MlpEncoderWithInputDependentVariance_TrainsAndEncodes()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        using var model = DSpibModel.Create().WithInputDimension(2).WithMlpEncoder([16, 16], DSpib.Networks.Activation.SiLU, inputDependentVariance: true).Build();

        var report = NewTrainer(maxEpochs: 4).Fit(model, data, labels);

        report.History[^1].TrainLoss.Should().BeLessThan(report.History[0].TrainLoss);
        model.Options.Encoder.IsLinear.Should().BeFalse();
        model.Encode(data.Trajectories[0].ToMatrix()).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void Fit_JointFromStart_TrainsTheJointObjectiveWithRefinement()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        var scoreNet = DSpib.Diffusion.ScoreNet.Create().WithHiddenLayers(32, 32).Build();
        using var model = DSpibModel.Create().WithInputDimension(2)
            .WithDiffusionPrior(DSpib.Diffusion.VpSde.Create().Discrete(100, 1e-4, 0.2).Build(), scoreNet).Build();

        var report = Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(2, patience: 2).WithMaxEpochs(30)
            .WithJointTraining(noiseDraws: 2).WithSchedule(TrainingSchedule.JointFromStart).Build().Fit(model, data, labels);

        report.History.Should().OnlyContain(h => h.Phase == TrainingPhase.Joint && double.IsFinite(h.TrainDiffusionLoss));
        report.Refinements[0].StatesAfter.Should().BeLessThan(30);
        model.Diffusion!.Sample(100, temperature: 0.6).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
        double[] axis = [-1.0, 0.0, 1.0];
        var surface = model.Diffusion!.FreeEnergySurface(0.6, axis, axis, steps: 10);
        surface.ToMatrix().Cast<double>().Should().OnlyContain(v => double.IsFinite(v) && v >= 0).And.Contain(0.0);
        model.Diffusion!.FreeEnergyProfile(0, 0.6, axis, axis, steps: 10).FreeEnergy.Should().HaveCount(3).And.Contain(0.0);
    }

    [Fact]
    public void Fit_WithAJointEpochCap_EndsTheJointPhaseThereWhileTheSpibPhaseKeepsItsOwnCap()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        using var model = DSpibModel.Create()
            .WithDiffusionPrior(DSpib.Diffusion.VpSde.Create().Discrete(100, 1e-4, 0.2).Build(), DSpib.Diffusion.ScoreNet.Create().WithHiddenLayers(16, 16).Build())
            .Build();

        // A joint patience far beyond the cap: only the cap can end the joint phase.
        var report = Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(1, patience: 1).WithMaxEpochs(spibEpochs: 6, jointEpochs: 2)
            .WithJointTraining(patience: 100, noiseDraws: 2).WithCollectiveVariablePrior(0).Build().Fit(model, data, labels);

        report.History.Count(h => h.Phase == TrainingPhase.Joint).Should().Be(2);
        report.History.Count(h => h.Phase == TrainingPhase.Spib).Should().BeInRange(1, 6);
        report.StopReason.Should().Be(TrainingStopReason.EpochLimit);
        model.Training!.IsComplete.Should().BeTrue();
    }

    [Fact]
    public void Fit_DSpibAtTwoTemperatures_SameSeeds_GivesBitwiseIdenticalLossesAndSamples()
    {
        // The same frames at two temperatures: the joint phase then conditions on two distinct temperatures.
        var frames = SmallData();
        var builder = TrajectorySet.Create();
        foreach (var (trajectory, index) in frames.Trajectories.Select((t, i) => (t, i)))
        {
            builder.Add(trajectory.ToMatrix(), temperature: index % 2 == 0 ? 0.6 : 0.9);
        }

        var data = builder.Build();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        DSpibModel NewDSpib() => DSpibModel.Create().WithInputDimension(2)
            .WithDiffusionPrior(DSpib.Diffusion.VpSde.Create().Discrete(100, 1e-4, 0.2).Build(), DSpib.Diffusion.ScoreNet.Create().Reference().Build()).Build();
        Trainer NewJointTrainer() => Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(1, patience: 1).WithMaxEpochs(3)
            .WithJointTraining(patience: 1, noiseDraws: 2).Build();

        using var first = NewDSpib();
        var a = NewJointTrainer().Fit(first, data, labels);
        using var second = NewDSpib();
        var b = NewJointTrainer().Fit(second, data, labels);

        a.History.Should().Contain(h => h.Phase == TrainingPhase.Joint);
        a.History.Select(h => h.TrainLoss).Should().Equal(b.History.Select(h => h.TrainLoss));
        a.History.Select(h => h.TrainDiffusionLoss).Should().Equal(b.History.Select(h => h.TrainDiffusionLoss));
        var samples = first.Diffusion!.Sample(500, temperature: 0.75, seed: 3);
        samples.Should().BeEquivalentTo(second.Diffusion!.Sample(500, temperature: 0.75, seed: 3));
        samples.Should().NotBeEquivalentTo(first.Diffusion!.Sample(500, temperature: 0.75, seed: 4));
    }

    [Fact]
    public void Fit_WithScoreAveraging_TrainsTheSameWay_AndEndsWithTheAveragedScoreNetwork()
    {
        var data = SmallData();
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        DSpibModel NewDSpib() => DSpibModel.Create().WithInputDimension(2)
            .WithDiffusionPrior(DSpib.Diffusion.VpSde.Create().Reference().Build(), DSpib.Diffusion.ScoreNet.Create().WithHiddenLayers(32, 32).Build()).Build();
        TrainerBuilder NewJointTrainer() => Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(1, patience: 1).WithMaxEpochs(4)
            .WithJointTraining(patience: 1, noiseDraws: 2);

        using var last = NewDSpib();
        var plain = NewJointTrainer().Build().Fit(last, data, labels);
        using var averaged = NewDSpib();
        var withAverage = NewJointTrainer().WithScoreAveraging(0.99).Build().Fit(averaged, data, labels);
        using var barelyAveraged = NewDSpib();
        NewJointTrainer().WithScoreAveraging(1e-9).Build().Fit(barelyAveraged, data, labels);

        // The average is only read when the phase ends: training, the encoder and the states are untouched by it.
        withAverage.History.Should().Contain(h => h.Phase == TrainingPhase.Joint);
        withAverage.History.Select(h => h.TrainLoss).Should().Equal(plain.History.Select(h => h.TrainLoss));
        var frames = data.Trajectories[0].ToMatrix();
        averaged.Encode(frames).Should().BeEquivalentTo(last.Encode(frames));

        // A decay of almost 0 averages nothing away; 0.99 changes what the score network generates.
        var lastSamples = last.Diffusion!.Sample(500, temperature: 0.75, seed: 3);
        var barelySamples = barelyAveraged.Diffusion!.Sample(500, temperature: 0.75, seed: 3);
        var averagedSamples = averaged.Diffusion!.Sample(500, temperature: 0.75, seed: 3);
        double LargestDifference(double[,] a, double[,] b) => a.Cast<double>().Zip(b.Cast<double>(), (x, y) => Math.Abs(x - y)).Max();
        LargestDifference(barelySamples, lastSamples).Should().BeLessThan(1e-4);
        LargestDifference(averagedSamples, lastSamples).Should().BeGreaterThan(1e-2);

        FluentActions.Invoking(() => Trainer.Create().WithScoreAveraging(1).Build()).Should().Throw<ArgumentException>().WithParameterName("ScoreAveraging").WithMessage("*(0, 1)*0.999*");
    }

    [Fact]
    public void Priors_AreVisibleInTheModelsType_TheSpibBaselineHasAVampPriorAndD_SpibADiffusionPrior()
    {
        using var spib = NewModel();
        using var dspib = DSpibModel.Create().WithDiffusionPrior().Build();

        spib.Diffusion.Should().BeNull();
        spib.VampPrior.Should().NotBeNull();
        spib.Options.Prior.Should().Be(LatentPrior.VampPrior);
        dspib.Diffusion.Should().NotBeNull();
        dspib.VampPrior.Should().BeNull();
        dspib.Options.Diffusion.Should().Be(DSpib.Diffusion.DiffusionPriorOptions.Default);
        FluentActions.Invoking(() => dspib.Diffusion!.Sample(10, 0.6)).Should().Throw<InvalidOperationException>().WithMessage("*not trained*Fit*");
    }

    [Fact]
    public void Fit_DataWithOtherFeatureCount_ThrowsNamingData()
    {
        var data = TrajectorySet.Create().Add(new double[10, 3], 1.0).Build();
        var labels = InitialLabels.FromArrays(data, [[0, 1, 0, 1, 0, 1, 0, 1, 0, 1]]);
        using var model = NewModel();

        var act = () => NewTrainer().Fit(model, data, labels);

        act.Should().Throw<ArgumentException>().WithParameterName("data").WithMessage("*3 descriptors*2 inputs*WithInputDimension*");
    }

    [Fact]
    public void Fit_LabelsOfAnotherDataSet_ThrowsNamingInitialLabels()
    {
        var data = SmallData();
        var other = TrajectorySet.Create().Add(new double[10, 2], 1.0).Build();
        var labels = InitialLabels.FromArrays(other, [[0, 1, 0, 1, 0, 1, 0, 1, 0, 1]]);
        using var model = NewModel();

        var act = () => NewTrainer().Fit(model, data, labels);

        act.Should().Throw<ArgumentException>().WithParameterName("initialLabels");
    }

    [Fact]
    public void Fit_LagAsLongAsATrajectory_ThrowsNamingLag()
    {
        var data = TrajectorySet.Create().Add(new double[20, 2], 1.0).Build();
        var labels = InitialLabels.FromArray(data, Enumerable.Range(0, 20).Select(i => i % 2).ToArray());
        using var model = NewModel();

        var act = () => Trainer.Create().WithLag(20).Build().Fit(model, data, labels);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("lag").WithMessage("*20 frames*");
    }

    [Fact]
    public void Encode_BeforeTraining_ThrowsSayingHowToTrain()
    {
        using var model = NewModel();

        var act = () => model.Encode(new double[1, 2]);

        act.Should().Throw<InvalidOperationException>().WithMessage("*not trained*Fit*");
    }

    [Fact]
    public void Build_Again_GivesAnEqualTrainer_AndLaterSettingsDoNotReachEarlierTrainers()
    {
        var builder = Trainer.Create().WithLag(7);
        var first = builder.Build();

        var second = builder.Build();
        var third = builder.WithLag(9).Build();

        second.Options.Should().Be(first.Options).And.NotBeSameAs(null);
        first.Options.Lag.Should().Be(7);
        third.Options.Lag.Should().Be(9);
    }

    [Fact]
    public void Build_WithInvalidOptions_NamesTheOptionAndHowToSetIt()
    {
        FluentActions.Invoking(() => Trainer.Create().WithOptions(TrainingOptions.Reference with { ScoreAveraging = 1.0 }).Build())
            .Should().Throw<ArgumentException>().WithParameterName("ScoreAveraging").WithMessage("*WithScoreAveraging*");
        FluentActions.Invoking(() => Trainer.Create().WithOptions(TrainingOptions.Reference with { Schedule = (TrainingSchedule)7 }).Build())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Schedule").WithMessage("*TwoPhase*JointFromStart*");
        FluentActions.Invoking(() => Trainer.Create().WithLearningRate(double.NaN).Build())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("LearningRate");
        FluentActions.Invoking(() => Trainer.Create().WithSplit(0.8, 0.3).Build())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("TestFraction");
    }

    [Fact]
    public void WithLogger_ReceivesTheStartRefinementsAndEndOfTraining()
    {
        var data = SmallData();
        var logger = new RecordingLogger();
        using var model = NewModel();

        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(1, patience: 2).WithMaxEpochs(8).WithLogger(logger).Build()
            .Fit(model, data, InitialLabels.KMeans(data, 30, seed: 1));

        logger.Messages.Should().Contain(m => m.Level == Microsoft.Extensions.Logging.LogLevel.Information && m.Message.StartsWith("Training on cpu", StringComparison.Ordinal));
        logger.Messages.Should().Contain(m => m.Message.StartsWith("Refinement 1 after epoch", StringComparison.Ordinal));
        logger.Messages.Should().ContainSingle(m => m.Message.StartsWith("Training finished", StringComparison.Ordinal));
    }

    [Fact]
    public void WithOptions_TakesEverySetting_AndLaterCallsChangeThem()
    {
        var options = TrainingOptions.Reference with { Lag = 13, NoiseDraws = 3, MaxJointEpochs = 7 };

        var trainer = Trainer.Create().WithOptions(options).WithSeed(9).Build();

        trainer.Options.Should().Be(options with { Seed = 9 });
        DSpibModel.Create().WithOptions(ModelOptions.Default with { LatentDimension = 1 }).WithSeed(3).Build().Options
            .Should().Be(ModelOptions.Default with { LatentDimension = 1, Seed = 3 });
    }

    [Fact]
    public void ValidationFrames_AreTheInputFramesOfTheHeldOutPairs()
    {
        var data = SmallData();
        using var model = NewModel();
        var report = NewTrainer(maxEpochs: 2, refinements: 0).Fit(model, data, InitialLabels.KMeans(data, 30, seed: 1));

        var frames = report.ValidationFrames(data, count: 5);

        frames.GetLength(0).Should().Be(5);
        var all = data.Trajectories.SelectMany(t => Enumerable.Range(0, t.FrameCount).Select(n => t.Frame(n).ToArray())).ToArray();
        for (var i = 0; i < 5; i++)
        {
            var expected = all[report.Pairs.InputFrame[report.Split.Validation[i]]];
            new[] { frames[i, 0], frames[i, 1] }.Should().Equal(expected);
        }

        report.ValidationFrames(data).GetLength(0).Should().Be(report.Split.Validation.Count);
        FluentActions.Invoking(() => report.ValidationFrames(TrajectorySet.Create().Add(new double[10, 2], 1.0).Build()))
            .Should().Throw<ArgumentException>().WithParameterName("data");
    }
}
