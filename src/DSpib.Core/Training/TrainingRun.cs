using System.Diagnostics;
using DSpib.Data;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// One training run's schedule and epoch loop: the phases of the schedule, each trained epoch by epoch until its
/// <see cref="ConvergenceRule"/> says it has converged or its epoch cap is reached, with label refinement, loss
/// bookkeeping, progress, score averaging and checkpoints.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly TrainingOptions _options;
    private readonly ModelNetwork _network;
    private readonly TrainingTensors _data;
    private readonly Generator _initGenerator;
    private readonly Generator _generator;
    private readonly IProgress<EpochSummary>? _progress;
    private readonly ILogger _logger;
    private readonly Stopwatch _stopwatch = Stopwatch.StartNew();
    private readonly CheckpointWriter? _checkpoints;
    private readonly TimeSpan _elapsedBefore;
    private readonly List<EpochSummary> _history = [];
    private readonly List<RefinementRecord> _refinements = [];
    private FlatAdam? _optimizer;
    private ParameterAverage? _scoreAverage;
    private double _learningRate;
    private int _retriesLeft;
    private TrainingPhase _phase = TrainingPhase.Spib;

    public TrainingRun(TrainingOptions options, ModelNetwork network, TrainingTensors data, Generator initGenerator, Generator generator, IProgress<EpochSummary>? progress, ILogger logger, CheckpointWriter? checkpoints, TrainingCheckpoint? resumed)
    {
        _options = options;
        _network = network;
        _data = data;
        _initGenerator = initGenerator;
        _generator = generator;
        _progress = progress;
        _logger = logger;
        _checkpoints = checkpoints;
        _learningRate = options.LearningRate;
        _retriesLeft = options.DivergenceRetries;
        if (resumed is not null)
        {
            _history.AddRange(resumed.History());
            _refinements.AddRange(resumed.Refinements());
            _elapsedBefore = resumed.Elapsed;
        }
    }

    public IReadOnlyList<EpochSummary> History => _history;

    public IReadOnlyList<RefinementRecord> Refinements => _refinements;

    /// <summary>The step that diverged, when the run stopped for it.</summary>
    public DivergedStep? Divergence { get; private set; }

    /// <summary>Training time, including that of the run a checkpoint resumed.</summary>
    public TimeSpan Elapsed => _elapsedBefore + _stopwatch.Elapsed;

    /// <summary>
    /// The phases of the schedule. The reference schedule for D-SPIB is two: SPIB with refinements until it has found
    /// the states, then the joint objective with a fresh optimizer, no refinement and its own patience.
    /// </summary>
    public static Stage[] Schedule(TrainingOptions options, bool hasDiffusion) =>
        !hasDiffusion ? [new(TrainingPhase.Spib, options.Patience, options.Refinements)]
        : options.Schedule == TrainingSchedule.JointFromStart ? [new(TrainingPhase.Joint, options.Patience, options.Refinements)]
        : [new(TrainingPhase.Spib, options.Patience, options.Refinements), new(TrainingPhase.Joint, options.JointPatience, 0)];

    /// <summary>Trains the schedule's phases from <paramref name="firstStage"/> (where a checkpoint left off, or 0).</summary>
    /// <returns>Why the last phase trained ended.</returns>
    public TrainingStopReason Execute(int firstStage, TrainingCheckpoint? resume, TimeLaggedPairs pairs, CancellationToken cancellationToken)
    {
        var stages = Schedule(_options, _network.Diffusion is not null);
        var stopReason = TrainingStopReason.EpochLimit;
        for (var stage = firstStage; stage < stages.Length; stage++)
        {
            if (stages[stage].Phase == TrainingPhase.Joint)
            {
                _data.AttachDiffusion(_network.Diffusion!, pairs);
            }

            stopReason = TrainPhase(stage, stages[stage], stage == firstStage ? resume : null, cancellationToken);
            if (stopReason is TrainingStopReason.Cancelled or TrainingStopReason.Diverged)
            {
                break;
            }
        }

        return stopReason;
    }

    /// <summary>Relabels every pair by the decoder; before the last epoch also resets the VampPrior in the SPIB phase.</summary>
    public void Relabel(bool isFinal)
    {
        // The final relabel keeps the prior's pseudo-inputs: training has ended and the prior is not used by it.
        var outcome = LabelRefinement.Refine(_network, _data, resetPrior: !isFinal && _phase == TrainingPhase.Spib, _initGenerator);
        var record = new RefinementRecord(_refinements.Count + 1, _history.Count, outcome.StatesBefore, outcome.StatesAfter, outcome.ChangedFraction, isFinal);
        _refinements.Add(record);
        TrainingLog.Refined(_logger, record.Round, record.Epoch, record.StatesBefore, record.StatesAfter, record.ChangedFraction);
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
    /// Trains one phase until its rule says it has converged or its epoch cap is reached. Each phase starts with a
    /// fresh optimizer over the parameters its objective trains, or continues a checkpoint's.
    /// </summary>
    private TrainingStopReason TrainPhase(int stageIndex, Stage stage, TrainingCheckpoint? resume, CancellationToken cancellationToken)
    {
        _phase = stage.Phase;
        RebuildOptimizer();
        var rule = new ConvergenceRule(_options.Tolerance, stage.Patience, stage.Refinements, watchDiffusion: _phase == TrainingPhase.Joint);
        var epochs = 0;
        if (_phase == TrainingPhase.Joint && _options.ScoreAveraging > 0)
        {
            _scoreAverage = new ParameterAverage(_network.Diffusion!.parameters(), _options.ScoreAveraging);
        }

        if (resume is not null)
        {
            resume.RestoreOptimizer(_optimizer!);
            if (_scoreAverage is not null)
            {
                resume.RestoreScoreAverage(_scoreAverage);
            }

            epochs = resume.Run.PhaseEpochs;
            rule.Restore(resume.Run.Round, resume.Run.Unchanged, resume.Run.PreviousLoss, resume.Run.BestDiffusion);
        }

        var maxEpochs = _options.MaxEpochsOf(_phase);
        try
        {
            while (epochs < maxEpochs)
            {
                epochs++;
                using var snapshot = new EpochSnapshot(_network, _optimizer!, _scoreAverage);
                var end = TrainEpoch(cancellationToken, out var train, out var diverged);
                if (end == EpochEnd.Cancelled)
                {
                    return TrainingStopReason.Cancelled;
                }

                if (end == EpochEnd.Diverged)
                {
                    snapshot.Restore(_optimizer!, _scoreAverage);
                    if (_retriesLeft == 0)
                    {
                        Divergence = diverged;
                        return TrainingStopReason.Diverged;
                    }

                    _retriesLeft--;
                    _learningRate *= _options.DivergenceLearningRateFactor;
                    _optimizer!.LearningRate = _learningRate;
                    TrainingLog.RetryingDivergedEpoch(_logger, diverged!.Epoch, diverged.Step, diverged.Loss, _learningRate, _retriesLeft);
                    epochs--;
                    continue;
                }

                var summary = Summarise(train, Evaluate(_data.Test));
                _history.Add(summary);
                TrainingLog.Epoch(_logger, summary.Epoch, summary.TrainLoss, summary.TestLoss, summary.StateCount);
                _progress?.Report(summary);

                switch (rule.Observe(train))
                {
                    case PhaseStep.Converged:
                        return TrainingStopReason.Converged;
                    case PhaseStep.Refine:
                        Relabel(isFinal: false);
                        break;
                }

                if (_checkpoints is { } writer && writer.IsDue(_history.Count))
                {
                    writer.Write(_options, new RunState(stageIndex, _phase, epochs, rule, Elapsed, _history, _refinements), _network, _optimizer!, _initGenerator, _generator, _data.Labels, _scoreAverage);
                    TrainingLog.CheckpointWritten(_logger, writer.Path, _history.Count);
                }
            }

            TrainingLog.EpochLimitReached(_logger, maxEpochs);
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

    private void RebuildOptimizer()
    {
        _optimizer?.Dispose();
        _optimizer = new FlatAdam(_phase == TrainingPhase.Joint ? _network.JointParameters() : _network.Parameters(), _learningRate);
    }

    /// <returns>Whether the epoch finished, was cancelled, or stopped at a step whose loss or gradient was not finite (<paramref name="diverged"/>; that step is not applied).</returns>
    private EpochEnd TrainEpoch(CancellationToken cancellationToken, out LossTotals totals, out DivergedStep? diverged)
    {
        diverged = null;
        var optimizer = _optimizer!;
        _network.SetTraining(true);
        using var losses = new LossAccumulator(_data.Frames.dtype, _data.Frames.device);
        using var order = randperm(_data.Train.shape[0], generator: _generator, device: _data.Frames.device);
        using var shuffled = _data.Train.index_select(0, order);
        var count = shuffled.shape[0];
        for (long start = 0; start < count; start += _options.BatchSize)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                totals = default;
                return EpochEnd.Cancelled;
            }

            using var scope = NewDisposeScope();
            var terms = ComputeTerms(shuffled.narrow(0, start, Math.Min(_options.BatchSize, count - start)));
            optimizer.ZeroGrad();
            terms.Loss.backward();
            if (!optimizer.TryStep(terms.Loss))
            {
                totals = default;
                diverged = DivergedStep.Of(_history.Count + 1, (int)(start / _options.BatchSize) + 1, terms, _phase == TrainingPhase.Joint, optimizer.LearningRate);
                return EpochEnd.Diverged;
            }

            _scoreAverage?.Update();
            losses.Add(terms);
        }

        totals = losses.Totals();
        return EpochEnd.Finished;
    }

    private LossTotals Evaluate(Tensor pairs)
    {
        if (pairs.shape[0] == 0)
        {
            return LossTotals.None;
        }

        _network.SetTraining(false);
        using var noGrad = no_grad();
        using var losses = new LossAccumulator(_data.Frames.dtype, _data.Frames.device);
        const int EvaluationBatch = 8192;
        var count = pairs.shape[0];
        for (long start = 0; start < count; start += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            losses.Add(ComputeTerms(pairs.narrow(0, start, Math.Min(EvaluationBatch, count - start))));
        }

        return losses.Totals();
    }

    private SpibObjective.Terms ComputeTerms(Tensor pairIndex)
    {
        var inputs = _data.Frames.index_select(0, _data.InputFrame.index_select(0, pairIndex));
        var labels = _data.Labels.index_select(0, pairIndex);
        var weights = _data.Weight.index_select(0, pairIndex);
        return _phase == TrainingPhase.Joint
            ? SpibObjective.Joint(_network, inputs, labels, weights, _data.Temperatures!.Select(pairIndex), _options.Beta, _options.NoiseDraws, _options.Weighting, _generator)
            : SpibObjective.Spib(_network, inputs, labels, weights, _options.Beta, _generator);
    }

    private EpochSummary Summarise(LossTotals train, LossTotals test)
    {
        using var scope = NewDisposeScope();
        return new EpochSummary
        {
            Phase = _phase,
            Epoch = _history.Count + 1,

            // Rounds of the whole run, not of this phase: the joint phase of the two-phase schedule follows the SPIB
            // phase's rounds and adds none.
            RefinementsDone = _refinements.Count(r => !r.IsFinal),
            TrainLoss = train.Loss,
            TrainCrossEntropy = train.CrossEntropy,
            TrainKl = train.Kl,
            TrainDiffusionLoss = _phase == TrainingPhase.Joint ? train.Diffusion : double.NaN,
            TestLoss = test.Loss,
            TestCrossEntropy = test.CrossEntropy,
            TestKl = test.Kl,
            StateCount = _network.StateCount,
            Populations = StatePopulations.Of(_data.Labels.index_select(0, _data.Train), _data.Weight.index_select(0, _data.Train), _network.StateCount),
            Elapsed = Elapsed,
        };
    }
}

/// <summary>How an epoch of training ended.</summary>
internal enum EpochEnd
{
    Finished,
    Cancelled,
    Diverged,
}

/// <summary>One phase of a schedule: its objective, patience and refinement rounds.</summary>
internal readonly record struct Stage(TrainingPhase Phase, int Patience, int Refinements);

/// <summary>Weighted state populations.</summary>
internal static class StatePopulations
{
    /// <summary>The weighted fraction of <paramref name="labels"/> in each of <paramref name="states"/> states.</summary>
    public static double[] Of(Tensor labels, Tensor weights, int states)
    {
        using var scope = NewDisposeScope();
        var counts = labels.bincount(weights, states).to(ScalarType.Float64).cpu();
        var total = counts.sum().item<double>();
        return counts.data<double>().Select(c => c / total).ToArray();
    }
}
