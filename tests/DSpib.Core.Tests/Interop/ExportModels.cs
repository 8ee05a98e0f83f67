using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Devices;
using DSpib.Networks;
using DSpib.Spib;
using DSpib.Training;

namespace DSpib.Core.Tests.Interop;

/// <summary>
/// Briefly trained models with three descriptors for the export tests, each trained once when first used. The third
/// descriptor, 20 + 3x - 2y, has an offset and a scale far from the others, so that an export which mishandled the
/// standardisation could not match the model.
/// </summary>
public sealed class ExportModels : IDisposable
{
    private readonly Dictionary<string, DSpibModel> _models = [];

    public ExportModels()
    {
        var builder = TrajectorySet.Create();
        foreach (var trajectory in ThreeHoleData.Simulate(walkers: 2, frames: 2_000).Trajectories)
        {
            builder.Add(WithThirdDescriptor(trajectory.ToMatrix()), trajectory.Temperature);
        }

        Data = builder.Build();
        Labels = InitialLabels.KMeans(Data, 20, seed: 1);
    }

    public static IReadOnlyList<string> ArgumentNames { get; } = ["d1", "d2", "d3"];

    public TrajectorySet Data { get; }

    public StateLabels Labels { get; }

    /// <summary>Frames where the model was trained and far outside it: the exported function must agree everywhere.</summary>
    public double[,] Frames()
    {
        var random = new Random(7);
        var points = new double[400, 2];
        var trained = Data.Trajectories[0].ToMatrix();
        for (var n = 0; n < 400; n++)
        {
            var inside = n % 2 == 0;
            points[n, 0] = inside ? trained[n * 4, 0] : (random.NextDouble() * 8) - 4;
            points[n, 1] = inside ? trained[n * 4, 1] : (random.NextDouble() * 8) - 4;
        }

        return WithThirdDescriptor(points);
    }

    public DSpibModel Linear => Get("linear", b => b.WithLinearEncoder());

    public DSpibModel LinearFloat64 => Get("linear64", b => b.WithLinearEncoder().OnDevice(DeviceBackend.Cpu(precision: TensorPrecision.Float64)));

    public DSpibModel Mlp(Activation activation) => Get("mlp-" + activation, b => b.WithMlpEncoder([8, 8], activation));

    public void Dispose()
    {
        foreach (var model in _models.Values)
        {
            model.Dispose();
        }
    }

    private DSpibModel Get(string key, Func<DSpibModelBuilder, DSpibModelBuilder> configure)
    {
        if (!_models.TryGetValue(key, out var model))
        {
            model = configure(DSpibModel.Create().WithInputDimension(3).WithLatentDimension(2).WithSeed(3)).Build();
            Trainer.Create().WithLag(10).WithBatchSize(256).WithLearningRate(1e-2).WithBeta(1e-3).WithRefinement(0, patience: 100).WithMaxEpochs(10).WithSeed(3).Build()
                .Fit(model, Data, Labels);
            _models[key] = model;
        }

        return model;
    }

    private static double[,] WithThirdDescriptor(double[,] xy)
    {
        var frames = new double[xy.GetLength(0), 3];
        for (var n = 0; n < frames.GetLength(0); n++)
        {
            frames[n, 0] = xy[n, 0];
            frames[n, 1] = xy[n, 1];
            frames[n, 2] = 20 + (3 * xy[n, 0]) - (2 * xy[n, 1]);
        }

        return frames;
    }
}

[CollectionDefinition(Name)]
public sealed class ExportModelsGroup : ICollectionFixture<ExportModels>
{
    public const string Name = "Exported models";
}
