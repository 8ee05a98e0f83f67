using DSpib.Data;
using DSpib.Internal;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>What the trained network says of every frame at the end of training: its state, the weighted state populations, and the range of the latent means.</summary>
internal sealed record FrameAssignment(StateLabels Labels, double[] Populations, double[] LatentMinimum, double[] LatentMaximum)
{
    public static FrameAssignment Of(ModelNetwork network, TrainingTensors tensors, TrajectorySet data)
    {
        using var scope = NewDisposeScope();
        using var inference = inference_mode();
        var all = TensorArithmetic.Indices(data.TotalFrames, tensors.Frames.device);
        var means = LabelRefinement.EncodeInChunks(network, tensors.Frames, all);
        var states = network.StatesOf(means);
        var populations = StatePopulations.Of(states, tensors.FrameWeights, network.StateCount);
        var minimum = means.min(0).values.to(ScalarType.Float64).cpu().data<double>().ToArray();
        var maximum = means.max(0).values.to(ScalarType.Float64).cpu().data<double>().ToArray();
        var flat = states.cpu().data<long>().Select(s => (int)s).ToArray();
        var perTrajectory = new int[data.Trajectories.Count][];
        var offset = 0;
        for (var i = 0; i < perTrajectory.Length; i++)
        {
            perTrajectory[i] = flat.AsSpan(offset, data.Trajectories[i].FrameCount).ToArray();
            offset += perTrajectory[i].Length;
        }

        return new FrameAssignment(new StateLabels(perTrajectory), populations, minimum, maximum);
    }
}
