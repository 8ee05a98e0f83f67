using System.Runtime.Versioning;
using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Persistence;
using DSpib.Training;

namespace DSpib.Core.Tests.Persistence;

/// <summary>
/// A run interrupted after a checkpoint and resumed by a fresh trainer and a fresh model continues exactly as the
/// uninterrupted run does, and a checkpoint refuses to resume anything else.
/// </summary>
public sealed class CheckpointTests(CheckpointTests.SpibReference reference) : IClassFixture<CheckpointTests.SpibReference>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dspib-checkpoint-").FullName;
    private readonly TrajectorySet _data = reference.Data;
    private readonly StateLabels _labels = reference.Labels;

    private string CheckpointPath => Path.Combine(_folder, "run.checkpoint");

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// SPIB with three refinements. With tolerance 10 every epoch after a refinement's first counts as unchanged, so
    /// with patience 3 the labels are refined after epochs 5, 10 and 15 and the run converges after epoch 20 (to the
    /// three holes); when exactly depends on the convergence counters being restored. The high learning rate trains the
    /// decoder enough in five epochs for refinement not to merge every state.
    /// </summary>
    private static TrainerBuilder SpibTrainer() =>
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithLearningRate(1e-2).WithRefinement(3, patience: 3, tolerance: 10).WithMaxEpochs(50).WithSeed(11);

    private static DSpibModel SpibModel() => DSpibModel.Create().WithInputDimension(2).WithDecoder(16, 16).WithSeed(2).Build();

    /// <summary>D-SPIB, two phases: SPIB refines once (after epoch 5) and converges after epoch 10; the joint phase converges after epoch 14.</summary>
    private static TrainerBuilder DspibTrainer() =>
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithLearningRate(1e-2).WithRefinement(1, patience: 3, tolerance: 10).WithJointTraining(patience: 2, noiseDraws: 2).WithMaxEpochs(50).WithSeed(11);

    private static DSpibModel DspibModel() => DSpibModel.Create().WithInputDimension(2)
        .WithDiffusionPrior(VpSde.Create().Discrete(100, 1e-4, 0.2).Build(), ScoreNet.Create().WithHiddenLayers(32, 32).Build())
        .WithSeed(2).Build();

    [Fact]
    public void Resume_SpibWithRefinements_GivesTheUninterruptedRunBitwise()
    {
        // Checkpoints after epochs 4, 8 and 12; the run is stopped during epoch 14, so it resumes after epoch 12,
        // between the second and third refinements.
        using var interruptedModel = SpibModel();
        var interrupted = RunUntilCancelled(SpibTrainer().WithCheckpoints(CheckpointPath, everyEpochs: 4).Build(), interruptedModel, cancelDuringEpoch: 14);
        using var resumedModel = SpibModel();
        var resumed = SpibTrainer().Build().Resume(CheckpointPath, resumedModel, _data, _labels);

        var uninterrupted = reference.Report;
        uninterrupted.StopReason.Should().Be(TrainingStopReason.Converged);
        uninterrupted.History.Should().HaveCount(20);
        uninterrupted.Refinements.Select(r => r.Epoch).Should().Equal(5, 10, 15, 20);
        interrupted.WasCancelled.Should().BeTrue();
        interrupted.History.Should().HaveCount(13);
        ShouldContinueExactly(resumed, uninterrupted);
        Bits(resumedModel.Encode(_data.Trajectories[1].ToMatrix())).Should().Equal(Bits(reference.Encoded));
        Bits(resumedModel.VampPrior!.Sample(300, seed: 5)).Should().Equal(Bits(reference.PriorSamples));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Resume_DSpibInTheJointPhase_GivesTheUninterruptedRunBitwise(bool scoreAveraging)
    {
        TrainerBuilder Trainer() => scoreAveraging ? DspibTrainer().WithScoreAveraging(0.9) : DspibTrainer();
        using var uninterruptedModel = DspibModel();
        var uninterrupted = Trainer().Build().Fit(uninterruptedModel, _data, _labels);

        // Checkpoints after epochs 4, 8 (SPIB) and 12 (joint); stopped during epoch 14, so it resumes in the joint
        // phase with the joint optimizer's moments, the diffusion prior's weights and, with averaging, their average.
        using var interruptedModel = DspibModel();
        RunUntilCancelled(Trainer().WithCheckpoints(CheckpointPath, everyEpochs: 4).Build(), interruptedModel, cancelDuringEpoch: 14);
        using var resumedModel = DspibModel();
        var resumed = Trainer().Build().Resume(CheckpointPath, resumedModel, _data, _labels);

        uninterrupted.History.Select(h => h.Phase).Should().Equal(Enumerable.Repeat(TrainingPhase.Spib, 10).Concat(Enumerable.Repeat(TrainingPhase.Joint, 4)));
        ShouldContinueExactly(resumed, uninterrupted);
        resumed.History.Skip(10).Should().OnlyContain(h => h.Phase == TrainingPhase.Joint && double.IsFinite(h.TrainDiffusionLoss));
        resumed.History.Skip(10).Should().OnlyContain(h => h.RefinementsDone == 1, "the joint phase follows the SPIB phase's one refinement");
        Bits(resumedModel.Diffusion!.Sample(200, temperature: 0.6, seed: 3)).Should().Equal(Bits(uninterruptedModel.Diffusion!.Sample(200, temperature: 0.6, seed: 3)));
    }

    [Fact]
    public void Resume_FromTheLastCheckpointOfACompletedRun_ReproducesItsEnd()
    {
        // The reference run wrote a checkpoint after every epoch but the last: it converged in epoch 20, and a
        // converged phase ends before its checkpoint. So it resumes after epoch 19.
        using var resumedModel = SpibModel();
        var resumed = SpibTrainer().Build().Resume(reference.LastCheckpoint, resumedModel, _data, _labels);

        ShouldContinueExactly(resumed, reference.Report);
        resumed.StopReason.Should().Be(TrainingStopReason.Converged);
    }

    [Fact]
    public void Resume_WithOtherDataLabelsOptionsOrModel_ThrowsSayingWhatDiffers()
    {
        using (var model = SpibModel())
        {
            SpibTrainer().WithMaxEpochs(2).WithCheckpoints(CheckpointPath, everyEpochs: 2).Build().Fit(model, _data, _labels);
        }

        var otherData = ThreeHoleData.Simulate(walkers: 4, frames: 4_000, seed: 2);
        Action Resume(Trainer trainer, Func<DSpibModel> model, TrajectorySet data, StateLabels labels) => () =>
        {
            using var fresh = model();
            trainer.Resume(CheckpointPath, fresh, data, labels);
        };

        Resume(SpibTrainer().WithMaxEpochs(2).Build(), SpibModel, otherData, InitialLabels.KMeans(otherData, 30, seed: 1))
            .Should().Throw<ArgumentException>().WithParameterName("data").WithMessage("*data differ*same trajectories*");
        Resume(SpibTrainer().WithMaxEpochs(2).Build(), SpibModel, _data, InitialLabels.KMeans(_data, 30, seed: 2))
            .Should().Throw<ArgumentException>().WithParameterName("initialLabels");
        Resume(SpibTrainer().WithMaxEpochs(2).WithSeed(12).Build(), SpibModel, _data, _labels)
            .Should().Throw<InvalidOperationException>().WithMessage("*options differ*'options.seed'*");
        Resume(SpibTrainer().WithMaxEpochs(2).Build(), () => DSpibModel.Create().WithInputDimension(2).WithDecoder(8, 8).WithSeed(2).Build(), _data, _labels)
            .Should().Throw<ArgumentException>().WithParameterName("model").WithMessage("*'model.decoder.hiddenLayers[0]'*");
        Resume(SpibTrainer().WithMaxEpochs(2).Build(), () => DSpibModel.Create().WithInputDimension(2).WithSeed(2).OnDevice(DeviceBackend.Cpu(precision: TensorPrecision.Float64)).Build(), _data, _labels)
            .Should().Throw<ArgumentException>().WithParameterName("model").WithMessage("*Float32*same kind of device and precision*");
    }

    [Fact]
    public void CheckpointsAndModelFiles_AreNotMistakenForEachOther()
    {
        using var model = SpibModel();
        SpibTrainer().WithMaxEpochs(2).WithCheckpoints(CheckpointPath, everyEpochs: 1).Build().Fit(model, _data, _labels);
        var modelPath = Path.Combine(_folder, "model.dspib");
        model.Save(modelPath);

        var loadCheckpoint = () => DSpibModel.Load(CheckpointPath);
        var resumeModelFile = () => SpibTrainer().WithMaxEpochs(2).Build().Resume(modelPath, model, _data, _labels);

        loadCheckpoint.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NotAModelFile).WithMessage("*training checkpoint*Trainer.Resume*");
        resumeModelFile.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.NotAModelFile).WithMessage("*model file*DSpibModel.Load*");
    }

    [Fact]
    public void Resume_DamagedCheckpoint_ThrowsCorruptedAndLeavesTheModelAsItWas()
    {
        using (var model = SpibModel())
        {
            SpibTrainer().WithMaxEpochs(2).WithCheckpoints(CheckpointPath, everyEpochs: 2).Build().Fit(model, _data, _labels);
        }

        var bytes = File.ReadAllBytes(CheckpointPath);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(CheckpointPath, bytes);
        using var untouched = SpibModel();

        var act = () => SpibTrainer().WithMaxEpochs(2).Build().Resume(CheckpointPath, untouched, _data, _labels);

        act.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.Corrupted).WithMessage($"*'{CheckpointPath}'*");
        untouched.IsTrained.Should().BeFalse();
    }

    [Fact]
    public void Fit_CheckpointingEveryEpoch_KeepsTheNumberOfLiveTensorsConstant()
    {
        using var model = SpibModel();
        var liveAfterEpoch = new List<long>();
        var progress = new SynchronousProgress<EpochSummary>(_ => liveAfterEpoch.Add(TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount));

        // No refinement, so the network keeps its shape; each report follows the previous epoch's checkpoint.
        SpibTrainer().WithRefinement(0, patience: 100).WithMaxEpochs(8).WithCheckpoints(CheckpointPath, everyEpochs: 1).Build().Fit(model, _data, _labels, progress);

        liveAfterEpoch.Should().HaveCount(8);
        liveAfterEpoch.Skip(1).Should().AllBeEquivalentTo(liveAfterEpoch[1], "writing a checkpoint must release every tensor it makes");
    }

    [Fact]
    public void Fit_CheckpointFolderMissing_ThrowsBeforeTraining()
    {
        using var model = SpibModel();
        var trainer = SpibTrainer().WithCheckpoints(Path.Combine(_folder, "absent", "run.checkpoint"), everyEpochs: 1).Build();

        var act = () => trainer.Fit(model, _data, _labels);

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*absent*does not exist*");
        model.IsTrained.Should().BeFalse();
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Fit_CheckpointWriteFails_StopsAndTheEarlierCheckpointStillResumesExactly()
    {
        // The folder turns read-only after the checkpoint of epoch 4, so writing that of epoch 8 fails; resuming
        // from epoch 4 crosses the refinement after epoch 5.
        using var model = SpibModel();
        ReadOnlyFolder? readOnly = null;
        var progress = new SynchronousProgress<EpochSummary>(e =>
        {
            if (e.Epoch == 5)
            {
                readOnly = new ReadOnlyFolder(_folder);
            }
        });
        Exception? failure;
        try
        {
            SpibTrainer().WithCheckpoints(CheckpointPath, everyEpochs: 4).Build().Fit(model, _data, _labels, progress);
            failure = null;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            failure = e;
        }
        finally
        {
            readOnly?.Dispose();
        }

        failure.Should().NotBeNull("the checkpoint after epoch 8 cannot be written");
        failure!.Message.Should().Contain(_folder);
        Directory.GetFiles(_folder).Should().Equal(CheckpointPath);
        using var resumedModel = SpibModel();
        var resumed = SpibTrainer().Build().Resume(CheckpointPath, resumedModel, _data, _labels);
        ShouldContinueExactly(resumed, reference.Report);
    }

    private TrainingReport RunUntilCancelled(Trainer trainer, DSpibModel model, int cancelDuringEpoch)
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<EpochSummary>(e =>
        {
            if (e.Epoch == cancelDuringEpoch - 1)
            {
                // Checked before every step: the next epoch stops before its first one.
                cancellation.Cancel();
            }
        });
        var cancelled = FluentActions.Invoking(() => trainer.Fit(model, _data, _labels, progress, cancellation.Token))
            .Should().Throw<TrainingCanceledException>().Which;
        return cancelled.Report!;
    }

    private static void ShouldContinueExactly(TrainingReport resumed, TrainingReport uninterrupted)
    {
        resumed.History.Should().HaveCount(uninterrupted.History.Count);
        resumed.History.Select(h => BitConverter.DoubleToInt64Bits(h.TrainLoss)).Should().Equal(uninterrupted.History.Select(h => BitConverter.DoubleToInt64Bits(h.TrainLoss)));
        resumed.History.Select(h => BitConverter.DoubleToInt64Bits(h.TestLoss)).Should().Equal(uninterrupted.History.Select(h => BitConverter.DoubleToInt64Bits(h.TestLoss)));
        resumed.History.Select(h => (h.Phase, h.Epoch, h.RefinementsDone, h.StateCount)).Should().Equal(uninterrupted.History.Select(h => (h.Phase, h.Epoch, h.RefinementsDone, h.StateCount)));
        resumed.Refinements.Should().Equal(uninterrupted.Refinements);
        resumed.StopReason.Should().Be(uninterrupted.StopReason);
        resumed.StatePopulations.Should().Equal(uninterrupted.StatePopulations);
        resumed.FinalLabels.ToConcatenatedArray().Should().Equal(uninterrupted.FinalLabels.ToConcatenatedArray());
    }

    private static long[] Bits(double[,] values) => values.Cast<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();

    /// <summary>
    /// The uninterrupted SPIB run the resumed ones are compared with, trained once for the class. It writes a
    /// checkpoint after every epoch, which must not change it: the D-SPIB test compares with a run without any.
    /// </summary>
    public sealed class SpibReference : IDisposable
    {
        private readonly string _folder = Directory.CreateTempSubdirectory("dspib-reference-").FullName;

        public SpibReference()
        {
            Data = ThreeHoleData.Simulate(walkers: 4, frames: 4_000);
            Labels = InitialLabels.KMeans(Data, 30, seed: 1);
            LastCheckpoint = Path.Combine(_folder, "every-epoch.checkpoint");
            using var model = SpibModel();
            Report = SpibTrainer().WithCheckpoints(LastCheckpoint, everyEpochs: 1).Build().Fit(model, Data, Labels);
            Encoded = model.Encode(Data.Trajectories[1].ToMatrix());
            PriorSamples = model.VampPrior!.Sample(300, seed: 5);
        }

        public TrajectorySet Data { get; }

        public StateLabels Labels { get; }

        public TrainingReport Report { get; }

        /// <summary>The last checkpoint the run wrote.</summary>
        public string LastCheckpoint { get; }

        /// <summary>The trained model's encoding of the second trajectory.</summary>
        public double[,] Encoded { get; }

        /// <summary>Its 300 VampPrior samples with seed 5.</summary>
        public double[,] PriorSamples { get; }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
