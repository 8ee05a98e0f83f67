using System.Text.Json;
using DSpib.Samples.AlanineDipeptide;

namespace DSpib.Samples.Tests;

/// <summary>
/// The alanine dipeptide sample on the committed data set, in a small configuration: the numbers it reports against
/// the MD of the data set, and the files it writes.
/// </summary>
[Trait("Category", "Slow")]
public sealed class AlanineDipeptideSampleTests(AlanineDipeptideSampleTests.SmallRun run) : IClassFixture<AlanineDipeptideSampleTests.SmallRun>
{
    private AlanineSummary Summary => run.Summary;

    /// <summary>One small run shared by the tests of the class, in a temporary folder removed afterwards.</summary>
    public sealed class SmallRun : IDisposable
    {
        public SmallRun()
        {
            var options = AlanineOptions.Parse(
            [
                "--temperatures", "500,550,625,725", "--clusters", "8", "--refinements", "2", "--patience", "2",
                "--joint-patience", "2", "--draws", "2", "--epochs", "15", "--samples", "2000", "--ode-steps", "10",
                "--output", Output,
            ]);
            Summary = AlanineRun.Execute(options, TextWriter.Null, CancellationToken.None);
        }

        public string Output { get; } = Path.Combine(Path.GetTempPath(), "dspib-alanine-" + Guid.NewGuid().ToString("N"));

        internal AlanineSummary Summary { get; }

        public void Dispose()
        {
            if (Directory.Exists(Output))
            {
                Directory.Delete(Output, recursive: true);
            }
        }
    }

    [Fact]
    public void Mbar_AtTheTrainingTemperatures_ReproducesTheirMd()
    {
        // MBAR's estimate at a sampled temperature is almost that temperature's own average: the other temperature's
        // frames add little weight there (measured: 0.003 at 500 K, 0.007 at 725 K). No reweighting puts both at the
        // pooled 0.052, 0.020 from 725 K's 0.072; the two temperatures swapped put 725 K 0.015 off. 0.01 tells these apart.
        foreach (var key in new[] { "500", "725" })
        {
            var result = Summary.Temperatures[key];
            result.Position.Should().Be("trained");
            result.Estimates[AlanineRun.MbarMethod].C7axError.Should().BeLessThan(0.01, $"MBAR at {key} K");
            result.Estimates[AlanineRun.MbarMethod].BasinError.Should().BeLessThan(0.01, $"MBAR at {key} K");
        }
    }

    [Fact]
    public void Mbar_AtTheHeldOutTemperaturesInside_AgreesWithTheirMd()
    {
        // The held-out MD at 550 and 625 K has 33 and 54 visits to C7ax: a population of 0.06 is known to about 0.01
        // from it, and MBAR's estimate from 500 and 725 K to about as much; 0.03 is two standard errors of the
        // difference. The populations also follow the trend: C7ax gains population with temperature.
        foreach (var key in new[] { "550", "625" })
        {
            var result = Summary.Temperatures[key];
            result.Position.Should().Be("inside");
            var mbar = result.Estimates[AlanineRun.MbarMethod];
            mbar.BasinPopulations.Sum().Should().BeApproximately(1, 1e-9);
            mbar.C7axError.Should().BeLessThan(0.03, $"MBAR at {key} K");
            mbar.BasinError.Should().BeLessThan(0.03, $"MBAR at {key} K");
            // Reweighting between 500 and 725 K keeps most of the pooled frames' weight.
            mbar.EffectiveSamples.Should().BeGreaterThan(1000);
            // On (phi, psi), MBAR is no further from MD than MD's two halves are from each other, with room for noise.
            mbar.AngleRmse.Should().BeLessThan(2 * result.AngleFloor + 0.2);
        }

        var c7ax = Summary.Temperatures.Values.OrderBy(t => t.Temperature).Select(t => t.Estimates[AlanineRun.MbarMethod].BasinPopulations[2]).ToArray();
        c7ax.Should().BeInAscendingOrder();
    }

    [Fact]
    public void TheModel_FindsStates_AndTellsC7axApart()
    {
        Summary.Training.StateCount.Should().BeGreaterThanOrEqualTo(2);
        Summary.Training.JointEpochs.Should().BeGreaterThan(0);
        // Some state stands for C7eq and some for C7ax: the slow barrier is what SPIB finds first.
        Summary.StateBasins.Should().Contain(0).And.Contain(2);
        foreach (var (key, result) in Summary.Temperatures)
        {
            // The encoded MD frames' states, added up by basin, give MD's C7ax population to within the frames the
            // state boundary and the basin boundary (phi = 0) disagree on.
            result.Estimates[AlanineRun.Encoded].C7axError.Should().BeLessThan(0.03, $"encoded MD at {key} K");
            result.Estimates[AlanineRun.Generated].BasinPopulations.Sum().Should().BeApproximately(1, 1e-9);
            result.Estimates[AlanineRun.Generated].CvRmse.Should().BeGreaterThanOrEqualTo(0);
        }
    }

    [Fact]
    public void Outputs_AreWritten()
    {
        var output = run.Output;
        foreach (var file in new[] { "summary.json", "summary.txt", "free-energy-profiles.png", "phi-psi.png", "populations.png", AlanineRun.ModelFileName })
        {
            File.Exists(Path.Combine(output, file)).Should().BeTrue(file);
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
        var temperatures = json.RootElement.GetProperty("temperatures");
        temperatures.EnumerateObject().Select(t => t.Name).Should().Equal("500", "550", "625", "725");
        var at550 = temperatures.GetProperty("550");
        at550.GetProperty("mdBasinPopulations").GetArrayLength().Should().Be(3);
        at550.GetProperty("mdAngles").GetArrayLength().Should().Be(24);
        at550.GetProperty("estimates").EnumerateObject().Select(e => e.Name).Should().BeEquivalentTo(AlanineSummary.Methods);
        File.ReadAllText(Path.Combine(output, "summary.txt")).Should().Contain("MBAR");
    }

    [Fact]
    public void Parse_ATemperatureTheDataSetDoesNotHave_IsNamed()
    {
        var options = AlanineOptions.Parse(["--train-temperatures", "500,725", "--temperatures", "450,500,725"]);

        var run = () => AlanineRun.Execute(options with { Output = Path.Combine(Path.GetTempPath(), "dspib-alanine-unused") }, TextWriter.Null, CancellationToken.None);

        run.Should().Throw<ArgumentException>().WithMessage("*no run at 450 K*400, 500, 550, 625, 725*");
    }

    [Fact]
    public void Parse_ATrainingTemperatureThatIsNotEvaluated_SaysWhatToAdd()
    {
        var parse = () => AlanineOptions.Parse(["--train-temperatures", "500,725", "--temperatures", "550,725"]);

        parse.Should().Throw<ArgumentException>().WithMessage("*add 500 to --temperatures*");
    }
}
