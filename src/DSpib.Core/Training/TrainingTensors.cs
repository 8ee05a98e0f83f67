using DSpib.Data;
using DSpib.Devices;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// The training data resident on the device: standardised frames once, and the pairs as index tensors, so a batch is
/// a gather by index with no host allocation.
/// </summary>
internal sealed class TrainingTensors : IDisposable
{
    public TrainingTensors(TrajectorySet data, Standardizer standardizer, TimeLaggedPairs pairs, DataSplit split, int[] compactLabels, DeviceBackend backend)
    {
        var frames = data.ConcatenatedFrames();
        standardizer.ApplyInPlace(frames);
        var device = backend.Device;
        var type = backend.ScalarType;
        Frames = tensor(frames, [data.TotalFrames, data.FeatureCount], dtype: ScalarType.Float64).to(type).to(device);
        FrameWeights = tensor(data.Trajectories.SelectMany(t => t.Weights.ToArray()).ToArray(), dtype: ScalarType.Float64).to(type).to(device);
        InputFrame = tensor(pairs.InputFrame.Select(i => (long)i).ToArray(), device: device);
        FutureFrame = tensor(pairs.FutureFrame.Select(i => (long)i).ToArray(), device: device);
        Weight = tensor(pairs.Weight.ToArray(), dtype: ScalarType.Float64).to(type).to(device);
        Labels = tensor(compactLabels.Select(l => (long)l).ToArray(), device: device);
        Train = tensor(split.Train.Select(i => (long)i).ToArray(), device: device);
        Test = tensor(split.Test.Select(i => (long)i).ToArray(), device: device);
        PairCount = pairs.Count;
    }

    /// <summary>Standardised frames [frames, features].</summary>
    public Tensor Frames { get; }

    /// <summary>Per-frame weights [frames].</summary>
    public Tensor FrameWeights { get; }

    /// <summary>Frame index of each pair's input [pairs].</summary>
    public Tensor InputFrame { get; }

    /// <summary>Frame index of each pair's future frame [pairs].</summary>
    public Tensor FutureFrame { get; }

    /// <summary>Weight of each pair [pairs].</summary>
    public Tensor Weight { get; }

    /// <summary>Current state label of each pair's future frame [pairs]; replaced at every refinement.</summary>
    public Tensor Labels { get; private set; }

    /// <summary>Pair indices used for training.</summary>
    public Tensor Train { get; }

    /// <summary>Pair indices used for monitoring.</summary>
    public Tensor Test { get; }

    public int PairCount { get; }

    /// <summary>The temperature of each pair as the diffusion prior sees it; <see langword="null"/> without one.</summary>
    public Diffusion.BatchTemperatures? Temperatures { get; private set; }

    /// <summary>Computes lambda(T) and the temperature embedding's input once per distinct temperature, and each pair's index into them.</summary>
    public void AttachDiffusion(Diffusion.DiffusionPriorNetwork prior, TimeLaggedPairs pairs)
    {
        Temperatures?.Dispose();
        Temperatures = Diffusion.BatchTemperatures.Of(prior, pairs.Temperature, Frames.dtype, Frames.device);
    }

    public void ReplaceLabels(Tensor labels)
    {
        var old = Labels;
        Labels = labels;
        old.Dispose();
    }

    public void Dispose()
    {
        Frames.Dispose();
        FrameWeights.Dispose();
        InputFrame.Dispose();
        FutureFrame.Dispose();
        Weight.Dispose();
        Labels.Dispose();
        Train.Dispose();
        Test.Dispose();
        Temperatures?.Dispose();
    }
}
