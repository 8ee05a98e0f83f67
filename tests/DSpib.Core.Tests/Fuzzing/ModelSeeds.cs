using DSpib.Data;
using DSpib.Diffusion;
using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;
using DSpib.Training;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>
/// Small genuine model files and checkpoints to mutate: a SPIB baseline and a D-SPIB model with score averaging,
/// trained for a few epochs on a short three-hole simulation, with a checkpoint after every epoch. The checkpoints
/// kept are one from the SPIB phase and one from the joint phase (diffusion prior, its optimizer and score average).
/// </summary>
internal sealed class ModelSeeds : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dspib-fuzz-").FullName;

    public ModelSeeds()
    {
        var data = Simulate();
        var labels = InitialLabels.KMeans(data, 10, seed: 1);
        using (var spib = DSpibModel.Create().WithInputDimension(2).WithDecoder(8).AsSpibBaseline().WithSeed(3).Build())
        {
            Trainer.Create().WithLag(10).WithBeta(1e-2).WithLearningRate(1e-2).WithRefinement(1, patience: 1, tolerance: 10).WithMaxEpochs(3).WithSeed(5).Build().Fit(spib, data, labels);
            ModelFiles.Add(Save(spib));
        }

        Dspib = DSpibModel.Create().WithInputDimension(2).WithDecoder(8)
            .WithDiffusionPrior(VpSde.Create().Discrete(20, 1e-4, 0.2).Build(), ScoreNet.Create().WithHiddenLayers(8, 8).Build())
            .WithSeed(3).Build();
        var checkpoint = Path.Combine(_folder, "run.checkpoint");
        var trainer = Trainer.Create().WithLag(10).WithBeta(1e-2).WithLearningRate(1e-2).WithRefinement(1, patience: 1, tolerance: 10).WithJointTraining(patience: 0, noiseDraws: 2)
            .WithScoreAveraging(0.9).WithMaxEpochs(10).WithSeed(5).WithCheckpoints(checkpoint, everyEpochs: 1).Build();

        // Progress is reported before the epoch's checkpoint is written: the first report that finds a file finds the
        // first epoch's. The last checkpoint is that of the run's last epoch, in the joint phase.
        var progress = new InlineProgress(_ =>
        {
            if (Checkpoints.Count == 0 && File.Exists(checkpoint))
            {
                Checkpoints.Add(File.ReadAllBytes(checkpoint));
            }
        });
        FinalPhase = trainer.Fit(Dspib, data, labels, progress).History[^1].Phase;
        Checkpoints.Add(File.ReadAllBytes(checkpoint));
        ModelFiles.Add(Save(Dspib));
    }

    /// <summary>The model files: the SPIB baseline's and the D-SPIB model's.</summary>
    public List<byte[]> ModelFiles { get; } = [];

    /// <summary>Two checkpoints of the D-SPIB run (SPIB phase, joint phase).</summary>
    public List<byte[]> Checkpoints { get; } = [];

    /// <summary>The phase of the run's last epoch (and so of the last checkpoint).</summary>
    public TrainingPhase FinalPhase { get; }

    /// <summary>The trained D-SPIB model, whose settings the checkpoints were written with.</summary>
    public DSpibModel Dspib { get; }

    /// <summary>A folder for the files readers need.</summary>
    public string Folder => _folder;

    public void Dispose()
    {
        Dspib.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static byte[] Save(DSpibModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    private static TrajectorySet Simulate()
    {
        var potential = new ThreeHolePotential();
        var options = new LangevinOptions { Temperature = 0.6, TimeStep = 1e-3, Walkers = 4, FramesPerWalker = 1_000, StepsPerFrame = 10, EquilibrationSteps = 500, Seed = 7 };
        var result = new OverdampedLangevin(options).Run(potential, BoltzmannGrid.Create(potential, 0.6).Sample(4, 7), null, CancellationToken.None);
        var builder = TrajectorySet.Create();
        foreach (var trajectory in result.Trajectories)
        {
            builder.Add(trajectory, 0.6);
        }

        return builder.Build();
    }

    /// <summary>Calls the handler on the training thread, in order.</summary>
    private sealed class InlineProgress(Action<EpochSummary> handler) : IProgress<EpochSummary>
    {
        public void Report(EpochSummary value) => handler(value);
    }
}
