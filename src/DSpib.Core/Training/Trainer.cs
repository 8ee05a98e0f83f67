using System.Diagnostics;
using System.Globalization;
using DSpib.Data;
using DSpib.Internal;
using DSpib.Spib;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// Trains a <see cref="DSpibModel"/> on trajectories and initial state labels. Create one with <see cref="Create"/>.
/// A trainer holds only settings, so one instance can train many models, one at a time per thread.
/// </summary>
public sealed class Trainer
{
    private readonly ILogger _logger;

    internal Trainer(TrainingOptions options, ILogger logger, CheckpointOptions? checkpoints = null)
    {
        Options = options;
        _logger = logger;
        Checkpoints = checkpoints;
    }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>Where and how often training checkpoints are written; <see langword="null"/> for none.</summary>
    public CheckpointOptions? Checkpoints { get; }

    /// <summary>Starts a fluent builder with the reference hyperparameters.</summary>
    public static TrainerBuilder Create() => new();

    /// <summary>
    /// Trains <paramref name="model"/> from freshly initialised weights: SPIB with label refinement (METHOD section 3).
    /// </summary>
    /// <param name="model">The model; its weights and states are replaced.</param>
    /// <param name="data">The trajectories.</param>
    /// <param name="initialLabels">Initial state label of every frame (at least two distinct states).</param>
    /// <param name="progress">Receives a summary after every epoch (optional).</param>
    /// <param name="cancellationToken">
    /// Checked between optimisation steps. On cancellation the run stops after the current step, the model keeps the
    /// weights trained so far with a final relabel, and the report says <see cref="TrainingStopReason.Cancelled"/>.
    /// </param>
    /// <returns>History, refinements and the states found.</returns>
    /// <exception cref="ArgumentException">The data, labels or lag do not fit the model or each other.</exception>
    /// <exception cref="InvalidOperationException">Refinement left fewer than two states (the message says what to change).</exception>
    public TrainingReport Fit(
        DSpibModel model,
        TrajectorySet data,
        StateLabels initialLabels,
        IProgress<EpochSummary>? progress = null,
        CancellationToken cancellationToken = default) =>
        Train(model, data, initialLabels, checkpoint: null, progress, cancellationToken);

    /// <summary>
    /// Continues the run that wrote <paramref name="checkpointPath"/> (see <see cref="TrainerBuilder.WithCheckpoints"/>)
    /// from the end of its epoch: same weights, optimizer state, generator states, labels, schedule position and
    /// history. On the CPU the resumed run gives the same losses, bitwise, as the run would have without interruption.
    /// The model, this trainer's options and the data must be those of that run; checkpoints continue to be written if
    /// this trainer has them.
    /// </summary>
    /// <param name="checkpointPath">A checkpoint written by a trainer with the same options.</param>
    /// <param name="model">A model built with the same settings (for example a fresh one from the same builder calls); its weights and states are replaced.</param>
    /// <param name="data">The trajectories the run trained on.</param>
    /// <param name="initialLabels">The initial labels the run started from.</param>
    /// <param name="progress">Receives a summary after every new epoch (optional).</param>
    /// <param name="cancellationToken">Checked between optimisation steps, as in <see cref="Fit"/>.</param>
    /// <returns>The report of the whole run, including the epochs before the checkpoint.</returns>
    /// <exception cref="Persistence.ModelFileException">The checkpoint cannot be read; its reason says why.</exception>
    /// <exception cref="ArgumentException">The model, data or labels are not those of the checkpoint's run (the message says what differs).</exception>
    /// <exception cref="InvalidOperationException">This trainer's options differ from the checkpoint's run.</exception>
    public TrainingReport Resume(
        string checkpointPath,
        DSpibModel model,
        TrajectorySet data,
        StateLabels initialLabels,
        IProgress<EpochSummary>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
        ArgumentNullException.ThrowIfNull(model);
        using var call = NativeLifetime.Enter(model);
        var checkpoint = Persistence.TrainingCheckpoint.Read(checkpointPath);
        TrainingLog.Resumed(_logger, checkpointPath, checkpoint.Run.History.Length, checkpoint.Run.Phase);
        return Train(model, data, initialLabels, checkpoint, progress, cancellationToken);
    }

    private TrainingReport Train(
        DSpibModel model,
        TrajectorySet data,
        StateLabels initialLabels,
        Persistence.TrainingCheckpoint? checkpoint,
        IProgress<EpochSummary>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(initialLabels);
        model.EnsureFeatureCount(data.FeatureCount, nameof(data));
        initialLabels.EnsureMatches(data, nameof(initialLabels));
        EnsureCheckpointFolder();

        using var call = NativeLifetime.Enter(model);
        var stopwatch = Stopwatch.StartNew();
        var backend = model.Backend;
        backend.Activate();

        var (compactFrameLabels, initialStates) = CompactLabels(initialLabels);
        var pairs = TimeLaggedPairs.Build(data, compactFrameLabels, Options.Lag);
        var split = DataSplit.Random(pairs.Count, Options.TrainFraction, Options.TestFraction, Options.Seed);
        var fingerprint = checkpoint is not null || Checkpoints is not null ? Persistence.TrainingCheckpoint.Fingerprint(data, initialLabels, pairs, split) : null;
        checkpoint?.EnsureMatches(model, Options, fingerprint!, nameof(data), nameof(initialLabels));
        var standardizer = Standardizer.Fit(data);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var temperatures = string.Join(", ", data.Temperatures.Select(t => t.ToString(CultureInfo.InvariantCulture)));
            TrainingLog.Started(_logger, backend, pairs.Count, Options.Lag, split.Train.Count, split.Test.Count, split.Validation.Count, initialStates, temperatures);
        }

        using var tensors = new TrainingTensors(data, standardizer, pairs, split, pairs.FutureLabel.ToArray(), backend);
        using var initGenerator = new Generator((ulong)model.Configuration.Seed);
        using var trainingGenerator = new Generator((ulong)Options.Seed, backend.Device);

        if (checkpoint is null)
        {
            model.Attach(CreateNetwork(model.Configuration, backend, standardizer, tensors, initialStates, data.Temperatures[0], initGenerator));
        }
        else
        {
            model.Attach(checkpoint.CreateNetwork(model.Configuration, backend));
            tensors.ReplaceLabels(checkpoint.PairLabels(pairs.Count, model.StateCount, backend.Device));
            checkpoint.RestoreGenerators(initGenerator, trainingGenerator);
        }

        var network = model.Network;
        var checkpoints = Checkpoints is null ? null : new CheckpointTarget(Checkpoints, model.Configuration, fingerprint!);
        using var run = new Run(this, network, tensors, initGenerator, trainingGenerator, progress, stopwatch, checkpoints, checkpoint);

        // The reference schedule for D-SPIB is two stages: SPIB with refinements until it has found the states, then
        // the joint objective with a fresh optimizer, no refinement and its own patience.
        Stage[] stages = network.Diffusion is null ? [new(TrainingPhase.Spib, Options.Patience, Options.Refinements)]
            : Options.Schedule == TrainingSchedule.JointFromStart ? [new(TrainingPhase.Joint, Options.Patience, Options.Refinements)]
            : [new(TrainingPhase.Spib, Options.Patience, Options.Refinements), new(TrainingPhase.Joint, Options.JointPatience, 0)];
        var firstStage = checkpoint?.Run.Stage ?? 0;
        if (checkpoint is not null && (firstStage < 0 || firstStage >= stages.Length || stages[firstStage].Phase != checkpoint.Run.Phase))
        {
            throw new Persistence.ModelFileException($"The checkpoint '{checkpoint.Path}' is corrupted: it is in stage {firstStage} ({checkpoint.Run.Phase}) of a schedule its own settings do not have.");
        }

        var stopReason = TrainingStopReason.EpochLimit;
        for (var stage = firstStage; stage < stages.Length; stage++)
        {
            if (stages[stage].Phase == TrainingPhase.Joint)
            {
                tensors.AttachDiffusion(network.Diffusion!, pairs);
            }

            stopReason = run.TrainPhase(stage, stages[stage], resume: stage == firstStage ? checkpoint : null, cancellationToken);
            if (stopReason == TrainingStopReason.Cancelled)
            {
                break;
            }
        }

        // The final relabel keeps the prior's pseudo-inputs: training has ended and the prior is not used by it.
        run.Relabel(isFinal: true);
        var (finalLabels, populations) = AssignFrames(network, tensors, data);
        model.SetTrainingOutcome(populations, run.Refinements.ToArray());
        if (_logger.IsEnabled(LogLevel.Information))
        {
            TrainingLog.Finished(_logger, stopReason, run.History.Count, run.Elapsed.TotalSeconds, network.StateCount);
        }

        return new TrainingReport(run.History, run.Refinements, finalLabels, populations, pairs, split, stopReason, run.Elapsed);
    }

    /// <summary>Fails before training rather than at the first checkpoint when the checkpoint's folder does not exist.</summary>
    private void EnsureCheckpointFolder()
    {
        if (Checkpoints is { Path: var path } && Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder && !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' of the checkpoint file does not exist; create it before training, or choose another path in WithCheckpoints.");
        }
    }

    /// <summary>Numbers the occupied initial states 0..K0-1, so that unused label values cost no decoder outputs.</summary>
    private static (StateLabels Labels, int StateCount) CompactLabels(StateLabels labels)
    {
        var map = new Dictionary<int, int>();
        foreach (var label in labels.ToConcatenatedArray().Distinct().Order())
        {
            map[label] = map.Count;
        }

        var compact = new int[labels.TrajectoryCount][];
        for (var i = 0; i < compact.Length; i++)
        {
            var source = labels.ForTrajectory(i);
            compact[i] = new int[source.Length];
            for (var n = 0; n < source.Length; n++)
            {
                compact[i][n] = map[source[n]];
            }
        }

        return (new StateLabels(compact), map.Count);
    }

    private static SpibNetwork CreateNetwork(ModelConfiguration configuration, Devices.DeviceBackend backend, Standardizer standardizer, TrainingTensors tensors, int stateCount, double lowestTemperature, Generator initGenerator)
    {
        var type = backend.ScalarType;
        var encoder = new Encoder(configuration.InputDimension, configuration.LatentDimension, configuration.Encoder, type, initGenerator);
        var decoder = new StateDecoder(configuration.LatentDimension, configuration.DecoderHiddenLayers, stateCount, configuration.DecoderActivation, type, initGenerator);
        encoder.to(backend.Device);
        decoder.to(backend.Device);

        // The first pseudo-inputs are the representative frames of the initial states under the untrained encoder.
        Tensor pseudoInputs;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var futureMeans = encoder.EncodeMean(tensors.Frames.index_select(0, tensors.FutureFrame));
            pseudoInputs = LabelRefinement.RepresentativeFrames(futureMeans, tensors.Labels, tensors, stateCount).MoveToOuterDisposeScope();
        }

        Diffusion.DiffusionPrior? diffusion = null;
        if (configuration.Prior == LatentPrior.Diffusion)
        {
            // T_ref of the temperature law: the SDE's own, or the lowest training temperature (saved with the model).
            var referenceTemperature = configuration.Sde!.ReferenceTemperature ?? lowestTemperature;
            diffusion = new Diffusion.DiffusionPrior(configuration.Sde, configuration.ScoreNet!, configuration.LatentDimension, referenceTemperature, type, initGenerator);
            diffusion.to(backend.Device);
        }

        return new SpibNetwork(encoder, decoder, new VampPrior(pseudoInputs), standardizer, backend) { Diffusion = diffusion };
    }

    /// <summary>Every frame's state (decoder argmax at its latent mean) and the weighted state populations.</summary>
    private static (StateLabels Labels, double[] Populations) AssignFrames(SpibNetwork network, TrainingTensors tensors, TrajectorySet data)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var all = TensorArithmetic.Indices(data.TotalFrames, tensors.Frames.device);
        var means = LabelRefinement.EncodeInChunks(network, tensors.Frames, all);
        var states = network.Decoder.forward(means).argmax(1);
        var counts = states.bincount(tensors.FrameWeights, network.StateCount).to(ScalarType.Float64).cpu();
        var total = counts.sum().item<double>();
        var populations = counts.data<double>().Select(c => c / total).ToArray();
        var flat = states.cpu().data<long>().Select(s => (int)s).ToArray();
        var perTrajectory = new int[data.Trajectories.Count][];
        var offset = 0;
        for (var i = 0; i < perTrajectory.Length; i++)
        {
            perTrajectory[i] = flat.AsSpan(offset, data.Trajectories[i].FrameCount).ToArray();
            offset += perTrajectory[i].Length;
        }

        return (new StateLabels(perTrajectory), populations);
    }

    /// <summary>One phase of a schedule: its objective, patience and refinement rounds.</summary>
    private readonly record struct Stage(TrainingPhase Phase, int Patience, int Refinements);

    /// <summary>Where a run writes its checkpoints, and what it records them against.</summary>
    private sealed record CheckpointTarget(CheckpointOptions Options, ModelConfiguration Configuration, Persistence.DataFingerprint Data);

    /// <summary>The mutable state of one training run.</summary>
    private sealed class Run : IDisposable
    {
        private readonly Trainer _trainer;
        private readonly SpibNetwork _network;
        private readonly TrainingTensors _data;
        private readonly Generator _initGenerator;
        private readonly Generator _generator;
        private readonly IProgress<EpochSummary>? _progress;
        private readonly Stopwatch _stopwatch;
        private readonly CheckpointTarget? _checkpoints;
        private readonly TimeSpan _elapsedBefore;
        private FlatAdam? _optimizer;
        private ParameterAverage? _scoreAverage;
        private TrainingPhase _phase = TrainingPhase.Spib;

        public Run(Trainer trainer, SpibNetwork network, TrainingTensors data, Generator initGenerator, Generator generator, IProgress<EpochSummary>? progress, Stopwatch stopwatch, CheckpointTarget? checkpoints, Persistence.TrainingCheckpoint? resumed)
        {
            _trainer = trainer;
            _network = network;
            _data = data;
            _initGenerator = initGenerator;
            _generator = generator;
            _progress = progress;
            _stopwatch = stopwatch;
            _checkpoints = checkpoints;
            if (resumed is not null)
            {
                History.AddRange(resumed.History());
                Refinements.AddRange(resumed.Refinements());
                _elapsedBefore = resumed.Elapsed;
            }
        }

        public List<EpochSummary> History { get; } = [];

        public List<RefinementRecord> Refinements { get; } = [];

        /// <summary>Training time, including that of the run a checkpoint resumed.</summary>
        public TimeSpan Elapsed => _elapsedBefore + _stopwatch.Elapsed;

        private TrainingOptions Options => _trainer.Options;

        /// <summary>
        /// Trains one phase until its loss has been unchanged (within the tolerance, and in the joint phase with no new
        /// best diffusion loss) for more than the stage's patience epochs after the last of its relabelling rounds, or
        /// until the epoch cap. Each phase starts with a fresh optimizer over the parameters its objective trains, or
        /// continues a checkpoint's.
        /// </summary>
        public TrainingStopReason TrainPhase(int stageIndex, Stage stage, Persistence.TrainingCheckpoint? resume, CancellationToken cancellationToken)
        {
            _phase = stage.Phase;
            RebuildOptimizer();
            var unchanged = 0;
            var previousLoss = double.NaN;
            var bestDiffusion = double.NaN;
            var round = 0;
            var epochs = 0;
            if (_phase == TrainingPhase.Joint && Options.ScoreAveraging > 0)
            {
                _scoreAverage = new ParameterAverage(_network.Diffusion!.parameters(), Options.ScoreAveraging);
            }

            if (resume is not null)
            {
                resume.RestoreOptimizer(_optimizer!);
                if (_scoreAverage is not null)
                {
                    resume.RestoreScoreAverage(_scoreAverage);
                }

                (epochs, round, unchanged, previousLoss, bestDiffusion) = (resume.Run.PhaseEpochs, resume.Run.Round, resume.Run.Unchanged, resume.Run.PreviousLoss, resume.Run.BestDiffusion);
            }

            try
            {
                while (epochs < Options.MaxEpochs)
                {
                    epochs++;
                    if (!TrainEpoch(cancellationToken, out var train))
                    {
                        return TrainingStopReason.Cancelled;
                    }

                    var test = Evaluate(_data.Test);
                    var summary = Summarise(train, test);
                    History.Add(summary);
                    TrainingLog.Epoch(_trainer._logger, summary.Epoch, summary.TrainLoss, summary.TestLoss, summary.StateCount);
                    _progress?.Report(summary);

                    // In the joint phase the diffusion term enters the loss scaled by beta (1e-5 in the reference), so a
                    // steady loss says only that the cross-entropy has settled. The prior must also have stopped
                    // improving: an epoch that lowers the best diffusion loss by more than the tolerance is a change.
                    var priorImproved = _phase == TrainingPhase.Joint && !(train.Diffusion >= bestDiffusion - Options.Tolerance);
                    if (priorImproved)
                    {
                        bestDiffusion = train.Diffusion;
                    }

                    unchanged = Math.Abs(train.Loss - previousLoss) < Options.Tolerance && !priorImproved ? unchanged + 1 : 0;
                    previousLoss = train.Loss;
                    if (unchanged > stage.Patience)
                    {
                        if (round == stage.Refinements)
                        {
                            return TrainingStopReason.Converged;
                        }

                        round++;
                        Relabel(isFinal: false);
                        unchanged = 0;
                        previousLoss = double.NaN;
                    }

                    WriteCheckpointIfDue(stageIndex, epochs, round, unchanged, previousLoss, bestDiffusion);
                }

                TrainingLog.EpochLimitReached(_trainer._logger, Options.MaxEpochs);
                return TrainingStopReason.EpochLimit;
            }
            finally
            {
                _optimizer?.Dispose();
                _optimizer = null;
                if (_scoreAverage is not null)
                {
                    // However the phase ended, the model keeps the averaged score network.
                    _scoreAverage.CopyToParameters();
                    _scoreAverage.Dispose();
                    _scoreAverage = null;
                }
            }
        }

        public void Relabel(bool isFinal)
        {
            var outcome = LabelRefinement.Refine(_network, _data, resetPrior: !isFinal && _phase == TrainingPhase.Spib, _initGenerator);
            var record = new RefinementRecord(Refinements.Count + 1, History.Count, outcome.StatesBefore, outcome.StatesAfter, outcome.ChangedFraction, isFinal);
            Refinements.Add(record);
            TrainingLog.Refined(_trainer._logger, record.Round, record.Epoch, record.StatesBefore, record.StatesAfter, record.ChangedFraction);
            if (!isFinal)
            {
                // The decoder and prior were re-created: the optimizer must see the new parameters at once.
                RebuildOptimizer();
            }
        }

        public void Dispose()
        {
            _optimizer?.Dispose();
            _scoreAverage?.Dispose();
        }

        /// <summary>
        /// At the end of an epoch everything the next one depends on is in the checkpoint, including both generators'
        /// states, so resuming from it continues the same sequence of batches and noise draws.
        /// </summary>
        private void WriteCheckpointIfDue(int stageIndex, int epochs, int round, int unchanged, double previousLoss, double bestDiffusion)
        {
            if (_checkpoints is not { } target || History.Count % target.Options.EveryEpochs != 0)
            {
                return;
            }

            var state = new Persistence.RunDescription(
                Persistence.TrainingCheckpoint.Describe(Options),
                target.Data,
                _network.Backend.Device.type.ToString(),
                stageIndex,
                _phase,
                epochs,
                round,
                unchanged,
                previousLoss,
                _optimizer!.State.Steps,
                Elapsed.Ticks,
                History.Select(Persistence.TrainingCheckpoint.Describe).ToArray(),
                Refinements.Select(Persistence.ModelFile.ToDescription).ToArray(),
                bestDiffusion);
            Persistence.TrainingCheckpoint.Write(target.Options.Path, target.Configuration, _network, state, _optimizer, _initGenerator, _generator, _data.Labels, _scoreAverage);
            TrainingLog.CheckpointWritten(_trainer._logger, target.Options.Path, History.Count);
        }

        private void RebuildOptimizer()
        {
            _optimizer?.Dispose();
            _optimizer = new FlatAdam(_phase == TrainingPhase.Joint ? _network.JointParameters() : _network.Parameters(), Options.LearningRate);
        }

        /// <returns><see langword="false"/> when cancelled before the epoch finished.</returns>
        private bool TrainEpoch(CancellationToken cancellationToken, out LossTotals totals)
        {
            var optimizer = _optimizer!;
            _network.SetTraining(true);
            using var sums = zeros(5, dtype: _data.Frames.dtype, device: _data.Frames.device);
            using var order = randperm(_data.Train.shape[0], generator: _generator, device: _data.Frames.device);
            using var shuffled = _data.Train.index_select(0, order);
            var count = shuffled.shape[0];
            for (long start = 0; start < count; start += Options.BatchSize)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    totals = default;
                    return false;
                }

                using var scope = NewDisposeScope();
                var batch = shuffled.narrow(0, start, Math.Min(Options.BatchSize, count - start));
                var terms = ComputeTerms(batch);
                optimizer.ZeroGrad();
                terms.Loss.backward();
                optimizer.Step();
                _scoreAverage?.Update();
                using (no_grad())
                {
                    sums.PlusInPlace(terms.WeightedValues());
                }
            }

            totals = LossTotals.From(sums);
            return true;
        }

        private LossTotals Evaluate(Tensor pairs)
        {
            if (pairs.shape[0] == 0)
            {
                return new LossTotals(double.NaN, double.NaN, double.NaN, double.NaN);
            }

            _network.SetTraining(false);
            using var noGrad = no_grad();
            using var sums = zeros(5, dtype: _data.Frames.dtype, device: _data.Frames.device);
            const int EvaluationBatch = 8192;
            var count = pairs.shape[0];
            for (long start = 0; start < count; start += EvaluationBatch)
            {
                using var scope = NewDisposeScope();
                var terms = ComputeTerms(pairs.narrow(0, start, Math.Min(EvaluationBatch, count - start)));
                sums.PlusInPlace(terms.WeightedValues());
            }

            return LossTotals.From(sums);
        }

        private SpibObjective.Terms ComputeTerms(Tensor pairIndex)
        {
            var inputs = _data.Frames.index_select(0, _data.InputFrame.index_select(0, pairIndex));
            var labels = _data.Labels.index_select(0, pairIndex);
            var weights = _data.Weight.index_select(0, pairIndex);
            return _phase == TrainingPhase.Joint
                ? SpibObjective.Joint(_network, inputs, labels, weights, _data.Temperatures!.Select(pairIndex), Options.Beta, Options.NoiseDraws, Options.Weighting, _generator)
                : SpibObjective.Spib(_network, inputs, labels, weights, Options.Beta, _generator);
        }

        private EpochSummary Summarise(LossTotals train, LossTotals test)
        {
            // Rounds of the whole run, not of this phase: the joint phase of the two-phase schedule follows the SPIB
            // phase's rounds and adds none.
            var refinementsDone = Refinements.Count(r => !r.IsFinal);
            using var scope = NewDisposeScope();
            var trainLabels = _data.Labels.index_select(0, _data.Train);
            var trainWeights = _data.Weight.index_select(0, _data.Train);
            var counts = trainLabels.bincount(trainWeights, _network.StateCount).to(ScalarType.Float64).cpu();
            var total = counts.sum().item<double>();
            var populations = counts.data<double>().Select(c => c / total).ToArray();
            return new EpochSummary(
                _phase,
                History.Count + 1,
                refinementsDone,
                train.Loss,
                train.CrossEntropy,
                train.Kl,
                test.Loss,
                test.CrossEntropy,
                test.Kl,
                _network.StateCount,
                populations,
                Elapsed,
                _phase == TrainingPhase.Joint ? train.Diffusion : double.NaN);
        }
    }

    /// <summary>Weighted means of the loss terms over an epoch.</summary>
    private readonly record struct LossTotals(double Loss, double CrossEntropy, double Kl, double Diffusion)
    {
        /// <summary>From on-device sums of [loss, cross-entropy, KL, diffusion, 1], each multiplied by its batch's weight sum.</summary>
        public static LossTotals From(Tensor sums)
        {
            using var scope = NewDisposeScope();
            var values = sums.to(ScalarType.Float64).cpu().data<double>().ToArray();
            return new LossTotals(values[0] / values[4], values[1] / values[4], values[2] / values[4], values[3] / values[4]);
        }
    }
}
