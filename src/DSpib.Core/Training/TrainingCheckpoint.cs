using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using DSpib.Data;
using DSpib.Data.IO;
using DSpib.Devices;
using DSpib.Persistence;
using DSpib.Spib;
using DSpib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// A training checkpoint, taken at the end of an epoch: the model file's network entries plus everything the run
/// needs to continue exactly as it would have: the optimizer's moments and step count, the states of the
/// initialisation and training generators, the current pair labels, the position in the schedule, the history, and
/// the options and data fingerprint the run belongs to.
/// </summary>
internal sealed class TrainingCheckpoint
{
    private const string OptimizerEntry = "training/optimizer.bin";
    private const string GeneratorsEntry = "training/generators.bin";
    private const string LabelsEntry = "training/labels.bin";
    private const string ScoreAverageEntry = "training/score-average.bin";
    private const string FirstMoment = "first_moment";
    private const string SecondMoment = "second_moment";
    private const string InitialisationGenerator = "initialisation";
    private const string TrainingGenerator = "training";
    private const string Labels = "labels";
    private const string AverageValues = "average";
    private const string AverageUpdates = "updates";

    private readonly VerifiedContainer _container;
    private readonly CheckpointManifest _manifest;

    private TrainingCheckpoint(string path, VerifiedContainer container, CheckpointManifest manifest)
    {
        Path = path;
        _container = container;
        _manifest = manifest;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    public RunDescription Run => _manifest.Run;

    public TimeSpan Elapsed => TimeSpan.FromTicks(Run.ElapsedTicks);

    /// <summary>Writes a checkpoint atomically: a failed write leaves the previous checkpoint intact.</summary>
    public static void Write(string path, ModelOptions options, ModelNetwork network, RunDescription run, FlatAdam optimizer, Generator initGenerator, Generator trainingGenerator, Tensor labels, ParameterAverage? scoreAverage = null)
    {
        var entries = NetworkEntries.Write(network);
        var (first, second, _) = optimizer.SaveState();
        using var firstMoment = first;
        using var secondMoment = second;
        entries.Add((OptimizerEntry, TensorEntries.Write(new Dictionary<string, Tensor> { [FirstMoment] = first, [SecondMoment] = second })));
        using (var initState = initGenerator.get_state())
        using (var trainingState = trainingGenerator.get_state())
        {
            entries.Add((GeneratorsEntry, TensorEntries.Write(new Dictionary<string, Tensor> { [InitialisationGenerator] = initState, [TrainingGenerator] = trainingState })));
        }

        entries.Add((LabelsEntry, TensorEntries.Write(new Dictionary<string, Tensor> { [Labels] = labels })));
        if (scoreAverage is not null)
        {
            using var updates = tensor(new[] { scoreAverage.Updates });
            entries.Add((ScoreAverageEntry, TensorEntries.Write(new Dictionary<string, Tensor> { [AverageValues] = scoreAverage.Average, [AverageUpdates] = updates })));
        }

        AtomicFile.Write(path, stream => Container.Write(stream, entries, checksums => JsonSerializer.SerializeToUtf8Bytes(
            new CheckpointManifest(
                FileFormat.Checkpoint.Name,
                FileFormat.Checkpoint.Version,
                Container.LibraryVersion,
                ModelSettings.Describe(options, network.InputDimension),
                NetworkEntries.Describe(network),
                run,
                checksums),
            CheckpointJson.Default.CheckpointManifest)));
    }

    /// <summary>Reads and verifies a checkpoint; throws <see cref="ModelFileException"/> when it cannot be used.</summary>
    public static TrainingCheckpoint Read(string path)
    {
        var what = $"The checkpoint '{path}'";
        using var stream = Container.OpenRead(path, what);
        var container = Container.Read(stream, what, FileFormat.Checkpoint);
        var manifest = JsonDocuments.Parse(container, CheckpointJson.Default.CheckpointManifest);
        container.VerifyEntries(manifest.Entries);
        return new TrainingCheckpoint(path, container, manifest);
    }

    public static TrainingOptionsDescription Describe(TrainingOptions o) => new(
        o.Lag, o.BatchSize, o.LearningRate, o.Beta, o.Tolerance, o.Patience, o.Refinements, o.MaxEpochs, o.TrainFraction, o.TestFraction, o.Seed, o.JointPatience, o.NoiseDraws, o.Weighting, o.Schedule, o.ScoreAveraging, o.MaxJointEpochs);

    public static EpochDescription Describe(EpochSummary e) => new(
        e.Phase, e.Epoch, e.RefinementsDone, e.TrainLoss, e.TrainCrossEntropy, e.TrainKl, e.TestLoss, e.TestCrossEntropy, e.TestKl, e.StateCount, e.Populations.ToArray(), e.Elapsed.Ticks, e.TrainDiffusionLoss);

    /// <summary>What a run trains on: sizes and hashes of the frames (with per-frame weights and trajectory temperatures) and of the initial labels.</summary>
    public static DataFingerprint Fingerprint(TrajectorySet data, StateLabels initialLabels, TimeLaggedPairs pairs, DataSplit split)
    {
        using var frames = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var labels = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < data.Trajectories.Count; i++)
        {
            var trajectory = data.Trajectories[i];
            frames.AppendData(BitConverter.GetBytes(trajectory.FrameCount));
            frames.AppendData(BitConverter.GetBytes(trajectory.Temperature));
            frames.AppendData(MemoryMarshal.AsBytes(trajectory.Frames));
            frames.AppendData(MemoryMarshal.AsBytes(trajectory.Weights));
            labels.AppendData(MemoryMarshal.AsBytes(initialLabels.ForTrajectory(i)));
        }

        return new DataFingerprint(
            data.Trajectories.Count,
            data.TotalFrames,
            data.FeatureCount,
            pairs.Count,
            split.Train.Count,
            split.Test.Count,
            Convert.ToHexStringLower(frames.GetHashAndReset()),
            Convert.ToHexStringLower(labels.GetHashAndReset()));
    }

    /// <summary>
    /// Throws, saying what differs, unless the model, the trainer's options and the data are those of the run that
    /// wrote this checkpoint: a resumed run on anything else would not continue that run.
    /// </summary>
    /// <param name="model">The model to train.</param>
    /// <param name="inputDimension">The data's descriptors per frame.</param>
    /// <param name="options">The trainer's options.</param>
    /// <param name="data">The fingerprint of the data and initial labels.</param>
    /// <param name="dataArgument">The name of the data argument, for the exception.</param>
    /// <param name="labelsArgument">The name of the initial labels argument, for the exception.</param>
    public void EnsureMatches(DSpibModel model, int inputDimension, TrainingOptions options, DataFingerprint data, string dataArgument, string labelsArgument)
    {
        if (ModelSettings.Difference(_manifest.Model, ModelSettings.Describe(model.Options, inputDimension)) is { } setting)
        {
            throw new ArgumentException($"The model's settings differ from those of the run that wrote the checkpoint (at '{setting}'): build the model with the same settings to resume.", nameof(model));
        }

        if (model.Backend.Precision != _manifest.Network.Precision || model.Backend.Device.type.ToString() != Run.DeviceType)
        {
            throw new ArgumentException($"The checkpoint was written by a run on {Run.DeviceType} in {_manifest.Network.Precision} but the model is on {model.Backend}: resume on the same kind of device and precision, which continue the run exactly.", nameof(model));
        }

        var expected = JsonSerializer.SerializeToElement(Run.Options, CheckpointJson.Default.TrainingOptionsDescription);
        var actual = JsonSerializer.SerializeToElement(Describe(options), CheckpointJson.Default.TrainingOptionsDescription);
        if (JsonDocuments.Difference(expected, actual, "options") is { } option)
        {
            throw new InvalidOperationException($"This trainer's options differ from those of the run that wrote the checkpoint (at '{option}'): resume with a trainer built with the same options.");
        }

        var stored = Run.Data;
        if (stored.Trajectories != data.Trajectories || stored.Frames != data.Frames || stored.Features != data.Features || stored.FramesSha256 != data.FramesSha256)
        {
            throw new ArgumentException(
                $"The data differ from the data the checkpoint was trained on ({stored.Trajectories} trajectories, {stored.Frames} frames of {stored.Features} descriptors, frames hash {stored.FramesSha256[..12]}; given: {data.Trajectories}, {data.Frames} of {data.Features}, {data.FramesSha256[..12]}). Resume with the same trajectories, in the same order.",
                dataArgument);
        }

        if (stored.LabelsSha256 != data.LabelsSha256)
        {
            throw new ArgumentException("The initial labels differ from those the checkpoint's run started from; resume with the same initial labels.", labelsArgument);
        }

        if (stored.Pairs != data.Pairs || stored.TrainPairs != data.TrainPairs || stored.TestPairs != data.TestPairs)
        {
            throw new ArgumentException($"The data give {data.Pairs} pairs ({data.TrainPairs} training, {data.TestPairs} test) but the checkpoint's run had {stored.Pairs} ({stored.TrainPairs}, {stored.TestPairs}).", dataArgument);
        }
    }

    /// <summary>The network as it was at the checkpoint, on <paramref name="backend"/>.</summary>
    public ModelNetwork CreateNetwork(ModelOptions options, DeviceBackend backend) =>
        NetworkEntries.Read(_container, _manifest.Network, options with { InputDimension = _manifest.Model.InputDimension }, backend);

    public List<EpochSummary> History() => Run.History.Select(e => new EpochSummary
    {
        Phase = e.Phase,
        Epoch = e.Epoch,
        RefinementsDone = e.RefinementsDone,
        TrainLoss = e.TrainLoss,
        TrainCrossEntropy = e.TrainCrossEntropy,
        TrainKl = e.TrainKl,
        TrainDiffusionLoss = e.TrainDiffusionLoss,
        TestLoss = e.TestLoss,
        TestCrossEntropy = e.TestCrossEntropy,
        TestKl = e.TestKl,
        StateCount = e.StateCount,
        Populations = e.Populations,
        Elapsed = TimeSpan.FromTicks(e.ElapsedTicks),
    }).ToList();

    public List<RefinementRecord> Refinements() => Run.Refinements.Select(ModelFile.FromDescription).ToList();

    /// <summary>The pair labels at the checkpoint, on <paramref name="device"/>, checked against the pair and state counts.</summary>
    public Tensor PairLabels(int pairCount, int stateCount, Device device) => UseEntry(LabelsEntry, tensors =>
    {
        var labels = Single(tensors, Labels, LabelsEntry);
        bool valid;
        using (NewDisposeScope())
        {
            valid = labels.dtype == ScalarType.Int64 && labels.shape.SequenceEqual([pairCount])
                && (pairCount == 0 || (labels.min().item<long>() >= 0 && labels.max().item<long>() < stateCount));
        }

        return valid ? labels.to(device) : throw _container.Invalid($"its labels are not {pairCount} state indices below {stateCount}.");
    });

    public void RestoreGenerators(Generator initGenerator, Generator trainingGenerator) => UseEntry(GeneratorsEntry, tensors =>
    {
        // libtorch ends the process on a state it refuses, so both are checked before either is set.
        var initialisation = Single(tensors, InitialisationGenerator, GeneratorsEntry);
        var training = Single(tensors, TrainingGenerator, GeneratorsEntry);
        if ((GeneratorStates.Problem(initGenerator, initialisation) ?? GeneratorStates.Problem(trainingGenerator, training)) is { } problem)
        {
            throw _container.Invalid($"the entry '{GeneratorsEntry}' cannot restore the random generators: {problem}.");
        }

        try
        {
            initGenerator.set_state(initialisation);
            trainingGenerator.set_state(training);
        }
        catch (ExternalException e)
        {
            throw _container.Invalid($"its generator states do not fit this device's generators ({e.Message}).", e);
        }
    });

    public void RestoreOptimizer(FlatAdam optimizer) => UseEntry(OptimizerEntry, tensors =>
    {
        try
        {
            optimizer.Restore(Single(tensors, FirstMoment, OptimizerEntry), Single(tensors, SecondMoment, OptimizerEntry), Run.OptimizerSteps);
        }
        catch (ArgumentException e)
        {
            throw _container.Invalid($"its optimizer state does not fit the network ({e.Message}).", e);
        }
    });

    /// <summary>Restores the moving average of the score network's weights that a run with score averaging saved.</summary>
    public void RestoreScoreAverage(ParameterAverage average) => UseEntry(ScoreAverageEntry, tensors =>
    {
        var values = Single(tensors, AverageValues, ScoreAverageEntry);
        if (!values.shape.SequenceEqual(average.Average.shape))
        {
            throw _container.Invalid($"its score average has the shape [{string.Join(", ", values.shape)}] but the score network's weights [{string.Join(", ", average.Average.shape)}].");
        }

        var updates = Single(tensors, AverageUpdates, ScoreAverageEntry);
        var count = updates.dtype == ScalarType.Int64 && updates.numel() == 1 ? updates.item<long>() : -1;
        average.Restore(values, count >= 0 ? count : throw _container.Invalid($"its score average's update count is {updates.dtype} [{string.Join(", ", updates.shape)}], not one non-negative Int64."));
    });

    /// <inheritdoc cref="UseEntry{T}"/>
    private void UseEntry(string entry, Action<Dictionary<string, Tensor>> use) => UseEntry(entry, tensors =>
    {
        use(tensors);
        return 0;
    });

    /// <summary>Reads the tensors of one entry, hands them to <paramref name="use"/>, and disposes them however it ends.</summary>
    private T UseEntry<T>(string entry, Func<Dictionary<string, Tensor>, T> use)
    {
        var tensors = TensorEntries.Read(_container, entry);
        try
        {
            return use(tensors);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }
    }

    private Tensor Single(Dictionary<string, Tensor> tensors, string key, string entry) =>
        tensors.TryGetValue(key, out var tensor) ? tensor : throw _container.Invalid($"the entry '{entry}' lacks the tensor '{key}'.");
}
