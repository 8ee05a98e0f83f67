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

    internal Trainer(TrainingOptions options, ILogger logger, CheckpointOptions? checkpoints)
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
    /// Trains <paramref name="model"/> from freshly initialised weights. The SPIB baseline trains SPIB with label
    /// refinement; a D-SPIB model trains on the schedule of <see cref="TrainingOptions.Schedule"/>: by default SPIB
    /// with refinement, then the joint objective with the diffusion prior (docs/concepts.md). A final relabel ends
    /// training.
    /// </summary>
    /// <param name="model">The model; its weights, states and training outcome are replaced. Its input dimension, when not set, is taken from the data.</param>
    /// <param name="data">The trajectories.</param>
    /// <param name="initialLabels">Initial state label of every frame (at least two distinct states).</param>
    /// <param name="progress">Receives a summary after every epoch (optional).</param>
    /// <param name="cancellationToken">
    /// Checked between optimisation steps. On cancellation the run stops after the current step, the model keeps the
    /// weights trained so far with a final relabel (its <see cref="DSpibModel.Training"/> says it is not complete), and
    /// <see cref="TrainingCanceledException"/> is thrown with the report of the run so far.
    /// </param>
    /// <returns>History, refinements and the states found.</returns>
    /// <exception cref="ArgumentException">The data, labels or lag do not fit the model or each other.</exception>
    /// <exception cref="InvalidOperationException">Refinement left fewer than two states (the message says what to change).</exception>
    /// <exception cref="TrainingCanceledException">The token was cancelled.</exception>
    /// <exception cref="TrainingDivergedException">A step's loss or gradient was NaN or infinite and no recovery was left (see <see cref="TrainerBuilder.WithDivergenceRecovery"/>).</exception>
    public TrainingReport Fit(
        DSpibModel model,
        TrajectorySet data,
        StateLabels initialLabels,
        IProgress<EpochSummary>? progress = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return Train(model, data, initialLabels, checkpoint: null, progress, cancellationToken);
        }
        catch (Exception exception) when (FailureLog.Record(_logger, "Training", exception))
        {
            throw;
        }
    }

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
    /// <exception cref="TrainingCanceledException">The token was cancelled.</exception>
    public TrainingReport Resume(
        string checkpointPath,
        DSpibModel model,
        TrajectorySet data,
        StateLabels initialLabels,
        IProgress<EpochSummary>? progress = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
            ArgumentNullException.ThrowIfNull(model);
            using var call = NativeLifetime.Enter(model);
            var checkpoint = TrainingCheckpoint.Read(checkpointPath);
            TrainingLog.Resumed(_logger, checkpointPath, checkpoint.Run.History.Length, checkpoint.Run.Phase);
            return Train(model, data, initialLabels, checkpoint, progress, cancellationToken);
        }
        catch (Exception exception) when (FailureLog.Record(_logger, "Resuming training", exception))
        {
            throw;
        }
    }

    private TrainingReport Train(
        DSpibModel model,
        TrajectorySet data,
        StateLabels initialLabels,
        TrainingCheckpoint? checkpoint,
        IProgress<EpochSummary>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(initialLabels);
        if (model.Options.InputDimension is not null)
        {
            model.EnsureFeatureCount(data.FeatureCount, nameof(data));
        }

        initialLabels.EnsureMatches(data, nameof(initialLabels));
        EnsureCheckpointFolder();

        using var call = NativeLifetime.Enter(model);
        var backend = model.Backend;
        backend.Activate();

        var (compactFrameLabels, frameStates) = CompactLabels(initialLabels);
        var pairs = TimeLaggedPairs.Build(data, compactFrameLabels, Options.Lag);
        var (targets, initialStates) = PairTargets(pairs, frameStates, nameof(initialLabels));
        var split = DataSplit.Random(pairs.Count, Options.TrainFraction, Options.TestFraction, Options.Seed);
        var fingerprint = checkpoint is not null || Checkpoints is not null ? TrainingCheckpoint.Fingerprint(data, initialLabels, pairs, split) : null;
        checkpoint?.EnsureMatches(model, data.FeatureCount, Options, fingerprint!, nameof(data), nameof(initialLabels));
        var standardizer = Standardizer.Fit(data);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var temperatures = string.Join(", ", data.Temperatures.Select(t => t.ToString(CultureInfo.InvariantCulture)));
            TrainingLog.Started(_logger, backend, pairs.Count, Options.Lag, split.Train.Count, split.Test.Count, split.Validation.Count, initialStates, temperatures);
        }

        using var tensors = new TrainingTensors(data, standardizer, pairs, split, targets, backend);
        using var initGenerator = new Generator((ulong)model.Options.Seed);
        using var trainingGenerator = new Generator((ulong)Options.Seed, backend.Device);

        if (checkpoint is null)
        {
            // T_ref of the temperature law: the SDE's own, or the lowest training temperature (saved with the model).
            var shape = new NetworkShape(data.FeatureCount, initialStates, model.Options.Diffusion is { } diffusion ? diffusion.Sde.ReferenceTemperature ?? data.Temperatures[0] : null);
            model.Initialize(shape, standardizer, initGenerator, encoder => InitialPseudoInputs(encoder, tensors, initialStates));
        }
        else
        {
            model.Attach(checkpoint.CreateNetwork(model.Options, backend));
            tensors.ReplaceLabels(checkpoint.PairLabels(pairs.Count, model.StateCount, backend.Device));
            checkpoint.RestoreGenerators(initGenerator, trainingGenerator);
        }

        var network = model.Network;
        var writer = Checkpoints is null ? null : new CheckpointWriter(Checkpoints, model.Options, fingerprint!);
        using var run = new TrainingRun(Options, network, tensors, initGenerator, trainingGenerator, progress, _logger, writer, checkpoint);
        var firstStage = checkpoint?.Run.Stage ?? 0;
        var stages = TrainingRun.Schedule(Options, network.Diffusion is not null);
        if (checkpoint is not null && (firstStage < 0 || firstStage >= stages.Length || stages[firstStage].Phase != checkpoint.Run.Phase))
        {
            throw new Persistence.ModelFileException($"The checkpoint '{checkpoint.Path}' is corrupted: it is in stage {firstStage} ({checkpoint.Run.Phase}) of a schedule its own settings do not have.");
        }

        var stopReason = run.Execute(firstStage, checkpoint, pairs, cancellationToken);
        if (run.Divergence is { } diverged && run.History.Count == 0)
        {
            // Nothing was learned: the model stays untrained (its outcome was cleared when the network was built).
            TrainingLog.Diverged(_logger, diverged.Describe(modelKept: false));
            throw FailureLog.MarkLogged(new TrainingDivergedException(diverged, report: null));
        }

        run.Relabel(isFinal: true);
        CollectiveVariablePriorFitReport? meansFit = null;
        if (network.Diffusion is not null && Options.CollectiveVariablePriorEpochs > 0 && stopReason is not (TrainingStopReason.Cancelled or TrainingStopReason.Diverged))
        {
            // The encoder is final from here on: the means the collective-variable prior learns are those users get.
            meansFit = CollectiveVariablePriorFit.Fit(network, model.Options.Diffusion!, tensors, pairs.Temperature, Options, trainingGenerator, _logger, cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                stopReason = TrainingStopReason.Cancelled;
            }
        }

        var assignment = FrameAssignment.Of(network, tensors, data);
        model.SetTrainingOutcome(new TrainingOutcome
        {
            StopReason = stopReason,
            Epochs = run.History.Count,
            Refinements = run.Refinements,
            StatePopulations = assignment.Populations,
            Temperatures = data.Temperatures,
            LatentMinimum = assignment.LatentMinimum,
            LatentMaximum = assignment.LatentMaximum,
        });
        if (_logger.IsEnabled(LogLevel.Information))
        {
            TrainingLog.Finished(_logger, stopReason, run.History.Count, run.Elapsed.TotalSeconds, network.StateCount);
        }

        var report = new TrainingReport(run.History, run.Refinements, assignment.Labels, assignment.Populations, pairs, split, stopReason, run.Elapsed, meansFit);
        if (run.Divergence is { } divergence)
        {
            TrainingLog.Diverged(_logger, divergence.Describe(modelKept: true));
            throw FailureLog.MarkLogged(new TrainingDivergedException(divergence, report));
        }

        return stopReason == TrainingStopReason.Cancelled ? throw new TrainingCanceledException(report, cancellationToken) : report;
    }

    /// <summary>The first pseudo-inputs: the representative frames of the initial states under the untrained encoder.</summary>
    private static Tensor InitialPseudoInputs(Encoder encoder, TrainingTensors tensors, int stateCount)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var futureMeans = encoder.EncodeMean(tensors.Frames.index_select(0, tensors.FutureFrame));
        return LabelRefinement.RepresentativeFrames(futureMeans, tensors.Labels, tensors, stateCount).MoveToOuterDisposeScope();
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
    /// <summary>
    /// The states the decoder learns to predict: those of the pairs' future frames, numbered 0..K-1 in label order (the
    /// identity when every state labels some future frame). A state that labels only frames within the first lag of
    /// a trajectory is no pair's target and is left out, with a warning.
    /// </summary>
    /// <exception cref="ArgumentException">The future frames carry fewer than two states, so there is nothing to predict.</exception>
    private (int[] Targets, int StateCount) PairTargets(TimeLaggedPairs pairs, int frameStates, string labelsArgument)
    {
        var futureLabels = pairs.FutureLabel.ToArray();
        var present = futureLabels.Distinct().Order().ToArray();
        if (present.Length < 2)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"At lag {Options.Lag} the {pairs.Count} time-lagged pairs lead to frames of {present.Length} initial state only, and SPIB needs at least two states to predict. Use a shorter lag (WithLag), longer or more trajectories, or initial labels with more states."),
                labelsArgument);
        }

        if (present.Length < frameStates)
        {
            TrainingLog.StatesWithoutPairs(_logger, frameStates - present.Length, frameStates, Options.Lag);
        }

        var number = new int[frameStates];
        for (var k = 0; k < present.Length; k++)
        {
            number[present[k]] = k;
        }

        return (futureLabels.Select(label => number[label]).ToArray(), present.Length);
    }

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
}
