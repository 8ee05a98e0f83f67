using DSpib.Core.Tests.Persistence;
using DSpib.Core.Tests.Support;
using DSpib.Diffusion;
using FluentAssertions;
using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Model;

/// <summary>
/// The diffusion prior generates inside its training temperatures silently, warns outside them, refuses beyond a factor
/// of <see cref="DiffusionPrior.ExtrapolationLimit"/>, and never returns a NaN or infinite sample or density.
/// The shared D-SPIB model is trained at k_B T = 0.6 only, so it generates from 0.3 to 1.2.
/// </summary>
[Collection(TrainedModelsGroup.Name)]
public sealed class TemperatureRangeTests(TrainedModels models)
{
    private static readonly double[,] Points = { { 0.0, 0.0 }, { 0.5, -0.5 } };

    [Fact]
    public void InsideTheTrainingTemperatures_NothingIsLogged_AndOutsideAWarningOncePerTemperature()
    {
        var logger = new RecordingLogger();
        using var model = TrainedModels.Copy(models.Dspib, logger);

        model.Diffusion!.TrainingTemperatures.Should().Equal(ThreeHoleData.Temperature);
        model.Diffusion.Sample(100, 0.6, SamplerOptions.Ancestral);
        logger.Messages.Should().BeEmpty();
        model.Diffusion.Sample(100, 0.9, SamplerOptions.Ancestral);
        model.Diffusion.Sample(100, 0.9, SamplerOptions.Ancestral, seed: 2);
        model.Diffusion.LogDensity(Points, 0.9, steps: 4);

        logger.Messages.Should().ContainSingle().Which.Should().Match<(LogLevel Level, string Message)>(m =>
            m.Level == LogLevel.Warning && m.Message.Contains("k_B T = 0.9 is outside the training temperatures (0.6 to 0.6)"));
    }

    [Theory]
    [InlineData(5000.0)]
    [InlineData(50.0)]
    [InlineData(1.2000001)]
    [InlineData(0.2999999)]
    [InlineData(1e-9)]
    public void BeyondTheLimit_EveryMethodRefuses_NamingTheRangeItGeneratesIn(double temperature)
    {
        var prior = models.Dspib.Diffusion!;
        Action[] calls =
        [
            () => prior.Sample(10, temperature, SamplerOptions.Ancestral),
            () => prior.LogDensity(Points, temperature, steps: 4),
            () => prior.FreeEnergySurface(temperature, [-1.0, 0, 1], [-1.0, 0, 1], steps: 4),
            () => prior.FreeEnergyProfile(0, temperature, [-1.0, 0, 1], [-1.0, 0, 1], steps: 4),
        ];

        foreach (var call in calls)
        {
            call.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "temperature")
                .WithMessage("*too far from the training temperatures (0.6 to 0.6)*from 0.3 to 1.2*");
        }
    }

    [Theory]
    [InlineData(1.2)]
    [InlineData(0.3)]
    public void AtTheLimit_TheMethodsGenerate(double temperature)
    {
        var samples = models.Dspib.Diffusion!.Sample(1_000, temperature, SamplerOptions.Ancestral);

        samples.Cast<double>().Should().OnlyContain(z => double.IsFinite(z));
        models.Dspib.Diffusion.LogDensity(Points, temperature, steps: 4).Should().OnlyContain(l => double.IsFinite(l));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.6)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ATemperatureThatIsNotAPositiveNumber_IsRefused(double temperature)
    {
        var sample = () => models.Dspib.Diffusion!.Sample(10, temperature);

        sample.Should().Throw<ArgumentException>().Where(e => e.ParamName == "temperature");
    }

    [Fact]
    public void ANonFiniteSampleOrDensity_IsNeverReturned_TheCallThrowsAndLogsWhy()
    {
        var logger = new RecordingLogger();
        using var model = TrainedModels.Copy(models.Dspib, logger);
        using (no_grad())
        {
            // A broken score network, as a diverged or damaged model would have.
            using var nan = double.NaN.ToScalar();
            model.Network.Diffusion!.parameters().First().fill_(nan);
        }

        var sample = () => model.Diffusion!.Sample(100, 0.6, SamplerOptions.Ancestral);
        var density = () => model.Diffusion!.LogDensity(Points, 0.6, steps: 4);

        sample.Should().Throw<InvalidOperationException>().WithMessage("*generated sample values at k_B T = 0.6 are NaN or infinite*");
        density.Should().Throw<InvalidOperationException>().WithMessage("*log-density values at k_B T = 0.6 are NaN or infinite*");
        logger.Messages.Where(m => m.Level == LogLevel.Error).Should().HaveCount(2);
    }
}
