using System.Text.Json;
using DSpib.Samples.Lj7Temperature;

namespace DSpib.Samples.Tests;

[Trait("Category", "Slow")]
public sealed class Lj7TemperatureSampleTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "dspib-lj7-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public void ShortRun_WritesTheSummaryWithEveryTemperature_AndThePictures()
    {
        var options = Lj7Options.Parse(
        [
            "--temperatures", "0.2,0.35,0.5,0.6", "--walkers", "4", "--frames", "400", "--stride", "20", "--equilibration", "2000",
            "--clusters", "12", "--refinements", "1", "--patience", "1", "--joint-patience", "2", "--draws", "2", "--max-epochs", "8",
            "--samples", "2000", "--ode-steps", "8", "--output", _output,
        ]) with { ProfilePoints = 40, MarginalPoints = 16 };

        var summary = Lj7Run.Execute(options, TextWriter.Null, CancellationToken.None);

        summary.Temperatures.Keys.Should().Equal("0.2", "0.35", "0.5", "0.6");
        summary.Temperatures["0.2"].Trained.Should().BeTrue();
        summary.Temperatures["0.35"].Trained.Should().BeFalse();
        summary.Training.StateCount.Should().BeGreaterThanOrEqualTo(2);
        summary.Training.JointEpochs.Should().BeGreaterThan(0);
        File.Exists(Path.Combine(_output, "free-energy-profiles.png")).Should().BeTrue();
        File.Exists(Path.Combine(_output, "exact-free-energy-profiles.png")).Should().BeTrue();
        // The saved model evaluated again without training gives the same figures: it is the trained model, and the
        // evaluation is seeded. To rounding, not bitwise: libtorch's MKL products can differ in the last bit when the
        // same numbers sit at other memory alignments.
        var again = Lj7Run.Execute(options with { Model = Path.Combine(_output, Lj7Run.ModelFileName), Output = Path.Combine(_output, "again") }, TextWriter.Null, CancellationToken.None);
        again.Training.StopReason.Should().Be("Loaded");
        again.Training.StateCount.Should().Be(summary.Training.StateCount);
        foreach (var (key, result) in summary.Temperatures)
        {
            again.Temperatures[key].FreeEnergyRmse.Should().BeApproximately(result.FreeEnergyRmse, 1e-9, $"k_B T = {key}");
            again.Temperatures[key].ExactVersusFlowSamplesRmse.Should().BeApproximately(result.ExactVersusFlowSamplesRmse, 1e-9, $"k_B T = {key}");
        }


        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        var root = json.RootElement;
        root.GetProperty("settings").GetProperty("trainingTemperatures").GetArrayLength().Should().Be(2);
        root.GetProperty("interpolationRmse").GetDouble().Should().BeGreaterThanOrEqualTo(0, "0.35 lies between the training temperatures");
        root.GetProperty("extrapolationRmse").GetDouble().Should().BeGreaterThanOrEqualTo(0, "0.6 lies outside them");
        foreach (var temperature in root.GetProperty("temperatures").EnumerateObject())
        {
            var result = temperature.Value;
            result.GetProperty("variable").GetString().Should().Be("EncoderMeans", "the figures come from the collective-variable prior, which training fits");
            result.GetProperty("generatedPopulations").EnumerateArray().Sum(p => p.GetDouble()).Should().BeApproximately(1, 1e-9);
            result.GetProperty("mdPopulations").EnumerateArray().Sum(p => p.GetDouble()).Should().BeApproximately(1, 1e-9);
            result.GetProperty("nearestTrainingTemperature").GetDouble().Should().BeOneOf(0.2, 0.5);
            foreach (var name in new[] { "freeEnergyRmse", "freeEnergyRmseFloor", "nearestModelRmse", "nearestMdRmse", "bottleneckRmse", "bottleneckPosteriorRmse", "largestPopulationError", "symmetrizedKl", "klFloor", "exactVersusSampledRmse", "exactVersusFlowSamplesRmse", "exactVersusMdRmse", "kineticTemperature" })
            {
                result.GetProperty(name).GetDouble().Should().BeGreaterThanOrEqualTo(0, $"{name} at k_B T = {temperature.Name}");
            }

            result.GetProperty("grid").GetArrayLength().Should().Be(40);
            result.GetProperty("exactFreeEnergy").GetArrayLength().Should().Be(40);
        }
    }

    [Fact]
    public void Parse_ATrainingTemperatureThatIsNotSimulated_SaysWhatToAdd()
    {
        var parse = () => Lj7Options.Parse(["--train-temperatures", "0.2,0.45", "--temperatures", "0.2,0.3"]);

        parse.Should().Throw<ArgumentException>().WithMessage("*add 0.45 to --temperatures*");
    }

    [Fact]
    public void Parse_AModelFileThatDoesNotExist_SaysWhatToPass()
    {
        var parse = () => Lj7Options.Parse(["--model", Path.Combine(_output, "missing.dspib")]);

        parse.Should().Throw<ArgumentException>().WithMessage("Option --model*does not exist*model.dspib of an earlier run*");
    }

    [Fact]
    public void Parse_AnUnknownOption_IsRefusedWithTheUsage()
    {
        var parse = () => Lj7Options.Parse(["--tempertures", "0.2"]);

        parse.Should().Throw<ArgumentException>().WithMessage("Unknown option --tempertures*usage:*");
    }
}
