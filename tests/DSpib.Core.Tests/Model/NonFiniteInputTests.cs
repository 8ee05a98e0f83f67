using DSpib.Core.Tests.Persistence;
using FluentAssertions;

namespace DSpib.Core.Tests.Model;

/// <summary>Every method that takes frames or latent points refuses NaN and infinite values, naming the argument.</summary>
[Collection(TrainedModelsGroup.Name)]
public sealed class NonFiniteInputTests(TrainedModels models)
{
    public static TheoryData<double> Bad => new() { double.NaN, double.PositiveInfinity, double.NegativeInfinity };

    [Theory]
    [MemberData(nameof(Bad))]
    public void FramesWithANonFiniteValue_AreRefusedByEveryFrameMethod(double bad)
    {
        var all = models.Frames;
        var frames = new double[10, all.GetLength(1)];
        Array.Copy(all, frames, frames.Length);
        frames[3, 1] = bad;
        var model = models.Dspib;
        Action[] calls =
        [
            () => model.Encode(frames),
            () => model.EncodePosterior(frames),
            () => model.SamplePosterior(frames),
            () => model.PredictStates(frames),
            () => model.PredictStateProbabilities(frames),
        ];

        foreach (var call in calls)
        {
            call.Should().Throw<ArgumentException>().Where(e => e.ParamName == "frames").WithMessage("*NaN or infinite*");
        }
    }

    [Theory]
    [MemberData(nameof(Bad))]
    public void LatentPointsWithANonFiniteValue_AreRefused(double bad)
    {
        double[,] latent = { { 0.0, 0.0 }, { bad, 1.0 } };

        var states = () => models.Dspib.PredictStatesOfLatent(latent);
        var density = () => models.Dspib.Diffusion!.LogDensity(latent, 0.6, steps: 4);

        states.Should().Throw<ArgumentException>().Where(e => e.ParamName == "latent");
        density.Should().Throw<ArgumentException>().Where(e => e.ParamName == "latent");
    }
}
