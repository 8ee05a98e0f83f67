using System.Globalization;
using DSpib.Data;
using DSpib.Diffusion;
using DSpib.Training;

namespace DSpib.Benchmarks;

/// <summary>
/// Seconds per D-SPIB epoch as the reference measures one: the three-hole sample's data (300,000 frames, lag 50) with
/// a 60/20/20 split, one epoch being a training pass over the 179,700 training pairs with the joint objective
/// (M = 16 noise draws per sample, reference ScoreNet, batch 512) plus an evaluation pass over the 59,900 test pairs.
/// </summary>
internal static class DSpibEpochBenchmark
{
    public static Measurement Run(int epochs = 6)
    {
        var data = SpibEpochBenchmark.ThreeHoleData();
        var labels = InitialLabels.KMeans(data, 100, 42);
        using var model = DSpibModel.Create().WithInputDimension(2).WithLatentDimension(2).WithLinearEncoder().WithDecoder(16, 16)
            .WithDiffusionPrior(VpSde.Create().Discrete(100, 1e-4, 0.2).Build(), ScoreNet.Create().Reference().Build())
            .WithSeed(42).Build();

        // The joint objective from the first epoch, with no refinement, so every epoch timed is a D-SPIB epoch.
        var trainer = Trainer.Create().WithLag(50).WithBatchSize(512).WithLearningRate(1e-3).WithBeta(1e-2).WithSplit(0.6, 0.2)
            .WithRefinement(0, patience: epochs + 1).WithJointTraining(patience: epochs + 1, noiseDraws: 16)
            .WithSchedule(TrainingSchedule.JointFromStart).WithMaxEpochs(epochs).WithSeed(42).Build();
        var durations = new List<double>();
        var previous = TimeSpan.Zero;
        var report = trainer.Fit(model, data, labels, new InlineProgress(e =>
        {
            durations.Add((e.Elapsed - previous).TotalSeconds);
            previous = e.Elapsed;
        }));

        var settings = new Dictionary<string, string>
        {
            ["data"] = "three-hole, 10 walkers x 30000 frames, kT 0.6, lag 50",
            ["split"] = $"60/20/20 ({report.Split.Train.Count} training, {report.Split.Test.Count} test pairs)",
            ["batch"] = "512 x 16 noise draws",
            ["scoreNet"] = "reference",
            ["epochs"] = epochs.ToString(CultureInfo.InvariantCulture),
            ["threads"] = TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture),
        };

        // The first epoch also pays for setup (standardising, uploading, the first pseudo-inputs).
        return new Measurement("dspib-epoch (train + test pass)", "s", durations.Skip(1).ToArray(), settings);
    }
}
