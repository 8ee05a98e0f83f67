using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Diffusion;
using DSpib.Training;
using Microsoft.Extensions.Logging;

namespace DSpib.Core.Tests.Persistence;

/// <summary>
/// A SPIB baseline and a D-SPIB model trained briefly on small three-hole data, shared by the persistence tests.
/// With tolerance 10 every epoch after the first counts as unchanged, so with patience 0 the labels are refined after
/// epochs 2 and 4: the decoder and VampPrior have shrunk from 30 states by the time the models are saved.
/// </summary>
public sealed class TrainedModels : IDisposable
{
    public TrainedModels()
    {
        Data = ThreeHoleData.Simulate(walkers: 4, frames: 4_000);
        Labels = InitialLabels.KMeans(Data, 30, seed: 1);
        Spib = DSpibModel.Create().WithInputDimension(2).AsSpibBaseline().WithSeed(3).Build();
        SpibReport = NewTrainer().Fit(Spib, Data, Labels);
        Dspib = NewDiffusionModel(TemperatureLaw.Linear);
        DspibReport = NewTrainer().Fit(Dspib, Data, Labels);
    }

    public TrajectorySet Data { get; }

    public StateLabels Labels { get; }

    public DSpibModel Spib { get; }

    public TrainingReport SpibReport { get; }

    public DSpibModel Dspib { get; }

    public TrainingReport DspibReport { get; }

    /// <summary>The first trajectory's frames.</summary>
    public double[,] Frames => Data.Trajectories[0].ToMatrix();

    /// <summary>Two refinements, then convergence; the joint phase (for D-SPIB) then runs two epochs.</summary>
    public static Trainer NewTrainer(int maxEpochs = 20) =>
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(2, patience: 0, tolerance: 10).WithJointTraining(patience: 0, noiseDraws: 2)
            .WithMaxEpochs(maxEpochs).WithSeed(5).Build();

    /// <summary>A D-SPIB model with a small score network; its embeddings of time and temperature are both random Fourier features.</summary>
    public static DSpibModel NewDiffusionModel(TemperatureLaw law) =>
        DSpibModel.Create().WithInputDimension(2)
            .WithDiffusionPrior(VpSde.Create().Discrete(100, 1e-4, 0.2).WithTemperatureLaw(law).Build(), ScoreNet.Create().WithHiddenLayers(32, 32).Build())
            .WithSeed(3).Build();

    /// <summary>A model of its own, saved and loaded from <paramref name="model"/>, that a test may dispose or break.</summary>
    public static DSpibModel Copy(DSpibModel model, ILogger? logger = null)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        return DSpibModel.Load(stream, logger: logger);
    }

    public void Dispose()
    {
        Spib.Dispose();
        Dspib.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedModelsGroup : ICollectionFixture<TrainedModels>
{
    public const string Name = "Trained models";
}
