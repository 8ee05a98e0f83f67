using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Training;

namespace DSpib.Samples.ThreeHole;

/// <summary>The three models the sample compares, all with the same encoder, decoder, seed and training data.</summary>
internal static class ThreeHoleModels
{
    public static string Describe(string name) => name switch
    {
        SampleOptions.SpibModel => "SPIB (VampPrior)",
        SampleOptions.TwoPhaseModel => "D-SPIB, two phases",
        SampleOptions.JointModel => "D-SPIB, joint from the start",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown model."),
    };

    /// <summary>
    /// The models in decreasing order of their training time (0 first): the joint schedule trains the diffusion prior for
    /// every epoch, the two-phase one only after its SPIB phase, SPIB never.
    /// </summary>
    public static int TrainingCostRank(string name) => name switch
    {
        SampleOptions.JointModel => 0,
        SampleOptions.TwoPhaseModel => 1,
        _ => 2,
    };

    public static bool HasDiffusionPrior(string name) => name != SampleOptions.SpibModel;

    /// <summary>
    /// (x, y) -> linear encoder -> 2-D z, decoder 16/16; the D-SPIB models add the reference diffusion prior (DDPM with 100
    /// steps, beta in [1e-4, 0.2], the reference score network).
    /// </summary>
    public static DSpibModel Build(string name, SampleOptions options, CpuBackend backend)
    {
        var builder = DSpibModel.Create()
            .WithInputDimension(2).WithLatentDimension(2).WithLinearEncoder().WithDecoder(16, 16);
        builder = HasDiffusionPrior(name)
            ? builder.WithDiffusionPrior(VpSde.Create().Discrete(100, 1e-4, 0.2).Build(), ScoreNet.Create().Reference().Build())
            : builder.AsSpibBaseline();
        return builder.OnDevice(backend).WithSeed(options.Seed).Build();
    }

    /// <summary>One trainer setting for all models; only the schedule differs (the baseline ignores it: it has no joint phase).</summary>
    public static Trainer Trainer(string name, SampleOptions options) =>
        options.Training.ToTrainer(options.Seed)
            .WithSchedule(name == SampleOptions.JointModel ? TrainingSchedule.JointFromStart : TrainingSchedule.TwoPhase)
            .Build();
}
