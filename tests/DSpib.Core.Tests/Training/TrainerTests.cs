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

        var report = NewTrainer(maxEpochs: 100).Fit(model, data, labels, progress, cancellation.Token);

        report.WasCancelled.Should().BeTrue();
        report.History.Should().HaveCount(3);
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
        using var model = DSpibModel.Create().WithInputDimension(2).WithMlpEncoder([16, 16], DSpib.Spib.Activation.SiLU, inputDependentVariance: true).Build();

        var report = NewTrainer(maxEpochs: 4).Fit(model, data, labels);

        report.History[^1].TrainLoss.Should().BeLessThan(report.History[0].TrainLoss);
        model.Configuration.Encoder.IsLinear.Should().BeFalse();
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
        model.Sample(100, temperature: 0.6).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
        double[] axis = [-1.0, 0.0, 1.0];
        var surface = model.FreeEnergySurface(axis, axis, temperature: 0.6, steps: 10);
        surface.ToMatrix().Cast<double>().Should().OnlyContain(v => double.IsFinite(v) && v >= 0).And.Contain(0.0);
        model.FreeEnergyProfile(0, axis, 0.6, axis, steps: 10).FreeEnergy.Should().HaveCount(3).And.Contain(0.0);
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
        var samples = first.Sample(500, temperature: 0.75, seed: 3);
        samples.Should().BeEquivalentTo(second.Sample(500, temperature: 0.75, seed: 3));
        samples.Should().NotBeEquivalentTo(first.Sample(500, temperature: 0.75, seed: 4));
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
        var lastSamples = last.Sample(500, temperature: 0.75, seed: 3);
        var barelySamples = barelyAveraged.Sample(500, temperature: 0.75, seed: 3);
        var averagedSamples = averaged.Sample(500, temperature: 0.75, seed: 3);
        double LargestDifference(double[,] a, double[,] b) => a.Cast<double>().Zip(b.Cast<double>(), (x, y) => Math.Abs(x - y)).Max();
        LargestDifference(barelySamples, lastSamples).Should().BeLessThan(1e-4);
        LargestDifference(averagedSamples, lastSamples).Should().BeGreaterThan(1e-2);

        FluentActions.Invoking(() => Trainer.Create().WithScoreAveraging(1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("decay").WithMessage("*(0, 1)*0.999*");
    }

    [Fact]
    public void DiffusionMethods_OnTheSpibBaseline_SayWhatIsMissing()
    {
        var data = SmallData();
        using var model = NewModel();
        NewTrainer(maxEpochs: 40).Fit(model, data, InitialLabels.KMeans(data, 30, seed: 1));

        FluentActions.Invoking(() => model.Sample(10, 0.6)).Should().Throw<InvalidOperationException>().WithMessage("*no diffusion prior*WithDiffusionPrior*SamplePrior*");
        FluentActions.Invoking(() => model.LogDensity(new double[1, 2], 0.6)).Should().Throw<InvalidOperationException>().WithMessage("*no diffusion prior*");
    }

    [Fact]
    public void Fit_DataWithOtherFeatureCount_ThrowsNamingData()
    {
        var data = TrajectorySet.Create().Add(new double[10, 3], 1.0).Build();
        var labels = InitialLabels.FromArrays(data, [[0, 1, 0, 1, 0, 1, 0, 1, 0, 1]]);
        using var model = NewModel();

        var act = () => NewTrainer().Fit(model, data, labels);

        act.Should().Throw<ArgumentException>().WithParameterName("data").WithMessage("*3 descriptors*WithInputDimension(2)*");
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
    public void Build_Twice_Throws()
    {
        var builder = Trainer.Create();
        builder.Build();

        var act = () => builder.Build();

        act.Should().Throw<InvalidOperationException>();
    }
}
