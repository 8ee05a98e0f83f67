using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Training;

namespace DSpib.Core.Tests.Training;

public class VampPriorSamplingTests
{
    private static DSpibModel TrainedModel()
    {
        var data = ThreeHoleData.Simulate(walkers: 4, frames: 4_000);
        var labels = InitialLabels.KMeans(data, 30, seed: 1);
        var model = DSpibModel.Create().WithInputDimension(2).WithSeed(3).Build();
        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(3, patience: 2).WithMaxEpochs(40).Build().Fit(model, data, labels);
        return model;
    }

    [Fact]
    public void SamplePrior_IsSeeded_AndItsStatesFollowTheMixtureWeights()
    {
        using var model = TrainedModel();

        var samples = model.VampPrior!.Sample(20_000, seed: 9);

        samples.GetLength(0).Should().Be(20_000);
        samples.GetLength(1).Should().Be(2);
        model.VampPrior!.Sample(5, seed: 9).Should().BeEquivalentTo(model.VampPrior!.Sample(5, seed: 9), o => o.WithStrictOrdering());
        var states = model.PredictStatesOfLatent(samples);
        states.Should().OnlyContain(s => s >= 0 && s < model.StateCount);

        // The samples land where the encoded frames are: every state the data occupies is generated too.
        var generated = states.Distinct().Count();
        generated.Should().BeGreaterThanOrEqualTo(model.Training!.StatePopulations.Count(p => p > 0.05));
    }

    [Fact]
    public void PredictStatesOfLatent_WrongDimension_IsRefused()
    {
        using var model = TrainedModel();

        var act = () => model.PredictStatesOfLatent(new double[3, 3]);

        act.Should().Throw<ArgumentException>().WithParameterName("latent");
    }
}
