using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Training;
using FluentAssertions;
using Microsoft.Extensions.Logging;

namespace DSpib.Core.Tests.Training;

/// <summary>
/// Data that leave too few time-lagged pairs, or states that no pair leads to, are caught before training with a
/// message that says what to change, instead of failing inside libtorch.
/// </summary>
public sealed class TooLittleDataTests
{
    private static readonly TrajectorySet Data = ThreeHoleData.Simulate(walkers: 2, frames: 300);

    [Theory]
    [InlineData(299)]
    [InlineData(295)]
    [InlineData(290)]
    [InlineData(250)]
    public void Fit_WithAFewPairsOnly_TrainsOrSaysWhatToChange(int lag)
    {
        var labels = InitialLabels.KMeans(Data, 10, seed: 1);
        using var model = DSpibModel.Create().AsSpibBaseline().WithSeed(1).Build();

        var fit = () => Trainer.Create().WithLag(lag).WithMaxEpochs(3).Build().Fit(model, Data, labels);

        // Two pairs (lag 299) may lead to one state or to two; more pairs lead to several, and so few pairs may not keep
        // two states through refinement. Each outcome is fine as long as it is a trained model or a documented exception
        // that says what to change, never libtorch's "index out of range in self".
        try
        {
            fit();
            model.IsTrained.Should().BeTrue();
        }
        catch (ArgumentException e)
        {
            e.ParamName.Should().Be("initialLabels");
            e.Message.Should().Contain($"lag {lag}").And.Contain("WithLag");
        }
        catch (InvalidOperationException e)
        {
            e.Message.Should().StartWith("Label refinement left 1 state").And.Contain("WithLag");
        }
    }

    [Fact]
    public void Fit_WhenThePairsLeadToOneStateOnly_ThrowsNamingTheLagAndWhatToChange()
    {
        // State 1 labels only the first 10 frames of each trajectory; at lag 20 no pair leads there.
        var labels = InitialLabels.FromArrays(Data, [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 300).Select(n => n < 10 ? 1 : 0).ToArray())]);
        using var model = DSpibModel.Create().AsSpibBaseline().WithSeed(1).Build();

        var fit = () => Trainer.Create().WithLag(20).WithMaxEpochs(3).Build().Fit(model, Data, labels);

        fit.Should().Throw<ArgumentException>().Where(e => e.ParamName == "initialLabels")
            .WithMessage("At lag 20 the 560 time-lagged pairs lead to frames of 1 initial state only*WithLag*");
        model.IsTrained.Should().BeFalse();
    }

    [Fact]
    public void Fit_WithAStateOnlyWithinTheFirstLag_LeavesItOut_AndWarns()
    {
        var data = ThreeHoleData.Simulate(walkers: 4, frames: 4_000);
        var kMeans = InitialLabels.KMeans(data, 30, seed: 1);
        var arrays = Enumerable.Range(0, 4).Select(i => kMeans.ForTrajectory(i).ToArray()).ToArray();
        arrays[0][0] = 99;
        var labels = InitialLabels.FromArrays(data, arrays);
        var logger = new RecordingLogger();
        using var model = DSpibModel.Create().AsSpibBaseline().WithSeed(3).Build();

        Trainer.Create().WithLag(20).WithBeta(1e-2).WithRefinement(2, patience: 0, tolerance: 10).WithMaxEpochs(20).WithSeed(5).WithLogger(logger).Build().Fit(model, data, labels);

        model.IsTrained.Should().BeTrue();
        model.StateCount.Should().BeLessThanOrEqualTo(kMeans.OccupiedStateCount, "state 99 is no pair's target");
        logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Warning && m.Message.Contains("1 of the 31 initial states") && m.Message.Contains("first 20 frames"));
    }
}
