using System.Text.Json;
using DSpib.Samples.ThreeHole;

namespace DSpib.Samples.Tests;

[Trait("Category", "Slow")]
public sealed class ThreeHoleSampleTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "dspib-three-hole-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public void ShortRun_WritesTheSummaryOfEveryModel_AndThePictures()
    {
        var options = SampleOptions.Parse(
        [
            "--walkers", "4", "--frames", "1000", "--stride", "50", "--lag", "5", "--clusters", "10",
            "--refinements", "1", "--patience", "1", "--joint-patience", "2", "--draws", "1", "--max-epochs", "6",
            "--samples", "2000", "--verify-walkers", "4", "--verify-frames", "500", "--verify-stride", "50", "--output", _output,
        ]);

        var summary = ThreeHoleRun.Execute(options, TextWriter.Null, CancellationToken.None);

        summary.Models.Select(m => m.Model).Should().Equal("spib", "two-phase", "joint");
        summary.Models.Single(m => m.Model == "spib").JointEpochs.Should().Be(0);
        summary.Models.Single(m => m.Model == "two-phase").JointEpochs.Should().BeGreaterThan(0);
        summary.Models.Single(m => m.Model == "joint").SpibEpochs.Should().Be(0, "the joint schedule trains the D-SPIB objective from the first epoch");
        File.Exists(Path.Combine(_output, "free-energy.png")).Should().BeTrue();
        File.Exists(Path.Combine(_output, "state-map.csv")).Should().BeTrue();
        foreach (var name in SampleOptions.ModelNames)
        {
            File.Exists(Path.Combine(_output, $"state-map-{name}.png")).Should().BeTrue();
        }

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        var root = json.RootElement;
        root.GetProperty("settings").GetProperty("generatedSamples").GetInt32().Should().Be(2000);
        root.GetProperty("settings").GetProperty("models").GetArrayLength().Should().Be(3);
        foreach (var model in root.GetProperty("models").EnumerateArray())
        {
            var name = model.GetProperty("model").GetString();
            var kl = model.GetProperty("kl").GetDouble();
            var floor = model.GetProperty("klFloor").GetDouble();
            double.IsFinite(kl).Should().BeTrue($"the KL of {name} is a number");
            kl.Should().BeGreaterThanOrEqualTo(0, $"a divergence ({name})");
            double.IsFinite(floor).Should().BeTrue($"the floor of {name} is a number");
            floor.Should().BeGreaterThanOrEqualTo(0, $"a divergence ({name})");
            foreach (var divergence in new[] { "bottleneckKl", "bottleneckPosteriorKl", "posteriorKlFloor" })
            {
                model.GetProperty(divergence).GetDouble().Should().BeGreaterThanOrEqualTo(0, $"{divergence} of {name} is a divergence");
            }

            var generated = model.GetProperty("generatedPopulations").EnumerateArray().Select(p => p.GetDouble()).ToArray();
            generated.Should().HaveCount(model.GetProperty("states").GetInt32(), name);
            generated.Sum().Should().BeApproximately(1, 1e-9, name);
            model.GetProperty("states").GetInt32().Should().BeGreaterThanOrEqualTo(1, name);
            model.GetProperty("statePopulations").GetArrayLength().Should().Be(model.GetProperty("states").GetInt32(), name);
            model.GetProperty("epochs").GetInt32().Should().BeGreaterThan(0, name);
            model.GetProperty("seconds").GetDouble().Should().BeGreaterThan(0, name);
            model.GetProperty("generatedSamples").GetInt32().Should().Be(2000, name);
            model.GetProperty("floorFrames").GetInt32().Should().Be(1000, "the floor stands in all 2 x 500 frames of the second half of the held-out walkers, fewer than the 2000 generated");

            // The reported populations are consistent: the states split the independent run and the exact Boltzmann
            // weight of the plane between them, and the largest error is the largest of the reported differences.
            var states = model.GetProperty("statePopulations").EnumerateArray().ToArray();
            states.Sum(s => s.GetProperty("population").GetDouble()).Should().BeApproximately(1, 1e-9, name);
            states.Sum(s => s.GetProperty("boltzmannPopulation").GetDouble()).Should().BeApproximately(1, 1e-6, name);
            states.Max(s => Math.Abs(s.GetProperty("population").GetDouble() - s.GetProperty("boltzmannPopulation").GetDouble()))
                .Should().BeApproximately(model.GetProperty("largestPopulationError").GetDouble(), 1e-12, name);
        }
    }

    [Fact]
    public void ModelsTrainedAtTheSameTime_GiveTheNumbersOfModelsTrainedOneAfterAnother()
    {
        string[] tiny =
        [
            "--models", "spib,joint", "--walkers", "4", "--frames", "600", "--stride", "50", "--lag", "5", "--clusters", "8",
            "--refinements", "1", "--patience", "1", "--joint-patience", "2", "--draws", "1", "--max-epochs", "4",
            "--samples", "1000", "--verify-walkers", "4", "--verify-frames", "300", "--verify-stride", "50",
        ];
        var parallelLog = new StringWriter();

        var oneByOne = ThreeHoleRun.Execute(SampleOptions.Parse([.. tiny, "--parallel", "1", "--output", Path.Combine(_output, "one")]), TextWriter.Null, CancellationToken.None);
        var together = ThreeHoleRun.Execute(SampleOptions.Parse([.. tiny, "--parallel", "2", "--output", Path.Combine(_output, "two")]), parallelLog, CancellationToken.None);

        together.Models.Select(m => m.Model).Should().Equal(["spib", "joint"], "the summary keeps the order asked for");
        foreach (var (first, second) in oneByOne.Models.Zip(together.Models))
        {
            // Each model has its own seeded generators and one libtorch thread, so its run is the same bit for bit.
            second.Kl.Should().Be(first.Kl, first.Model);
            second.BottleneckKl.Should().Be(first.BottleneckKl, first.Model);
            second.Epochs.Should().Be(first.Epochs, first.Model);
            second.GeneratedPopulations.Should().Equal(first.GeneratedPopulations, first.Model);
            second.StatePopulations.Select(p => p.Population).Should().Equal(first.StatePopulations.Select(p => p.Population), first.Model);
        }

        var lines = parallelLog.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().Contain(l => l.StartsWith("[joint] ", StringComparison.Ordinal) && l.Contains("epoch", StringComparison.Ordinal), "each model's progress is labelled");
        lines.Should().Contain(l => l.StartsWith("[spib] ", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_Parallel_DefaultsToCoresOverThreads_AndIsCappedByTheModels()
    {
        SampleOptions.Parse(["--parallel", "2"]).ConcurrentModels().Should().Be(2);
        SampleOptions.Parse(["--parallel", "5"]).ConcurrentModels().Should().Be(3, "there are three models");
        SampleOptions.Parse(["--parallel", "2", "--models", "joint"]).ConcurrentModels().Should().Be(1);
        SampleOptions.Parse([]).ConcurrentModels().Should().Be(Math.Clamp(Environment.ProcessorCount, 1, 3));
        SampleOptions.Parse(["--threads", "2"]).ConcurrentModels().Should().Be(Math.Clamp(Environment.ProcessorCount / 2, 1, 3));
        var zero = () => SampleOptions.Parse(["--parallel", "0"]);
        zero.Should().Throw<ArgumentException>().WithMessage("*--parallel*at least 1*");
    }

    [Fact]
    public void Parse_Defaults_TrainAllThreeModels()
    {
        var options = SampleOptions.Parse([]);

        options.Models.Should().Equal("spib", "two-phase", "joint");
        options.GeneratedSamples.Should().Be(100_000);
        options.Threads.Should().Be(1);
    }

    [Fact]
    public void Parse_TrainingOptions_ReachTheTrainer()
    {
        var options = SampleOptions.Parse(["--lag", "7", "--tolerance", "0.02", "--score-averaging", "0.99"]);

        var trainer = ThreeHoleModels.Trainer(SampleOptions.JointModel, options);

        trainer.Options.Lag.Should().Be(7);
        trainer.Options.Tolerance.Should().Be(0.02);
        trainer.Options.ScoreAveraging.Should().Be(0.99);
        trainer.Options.NoiseDraws.Should().Be(4, "the sample's own default, not the reference's 16");
        trainer.Options.JointPatience.Should().Be(20, "the sample's own default, not the reference's 150");
        trainer.Options.Beta.Should().Be(1e-2);
        trainer.Options.Schedule.Should().Be(DSpib.Training.TrainingSchedule.JointFromStart);
    }

    [Fact]
    public void Parse_AChosenSubsetOfModels_KeepsItsOrder()
    {
        SampleOptions.Parse(["--models", "joint,spib"]).Models.Should().Equal("joint", "spib");
    }

    [Theory]
    [InlineData("exact", DSpib.Devices.ProductPrecision.Exact)]
    [InlineData("fast", DSpib.Devices.ProductPrecision.FastFloat32)]
    [InlineData("bf16", DSpib.Devices.ProductPrecision.BFloat16)]
    [InlineData("default", null)]
    public void Parse_Products_NamesTheProductPrecision(string value, DSpib.Devices.ProductPrecision? expected)
    {
        SampleOptions.Parse(["--products", value]).Products.Should().Be(expected);
        SampleOptions.Parse([]).Products.Should().BeNull("the sample takes the library's default unless told otherwise");
    }

    [Theory]
    [InlineData("--models", "spib,diffusion", "*--models*spib, two-phase, joint*diffusion*")]
    [InlineData("--models", "spib,spib", "*--models*more than once*")]
    [InlineData("--models", ",", "*--models*")]
    [InlineData("--samples", "ten", "*--samples*whole number*ten*")]
    [InlineData("--samples", "10", "*--samples*at least 100*")]
    [InlineData("--threads", "0", "*--threads*at least 1*")]
    [InlineData("--products", "bfloat16", "*--products*default, exact, fast, bf16*bfloat16*")]
    [InlineData("--beta", "-1", "*--beta*positive number*")]
    [InlineData("--lag", "5000", "*--lag*shorter than --frames*")]
    [InlineData("--score-averaging", "1", "*--score-averaging*from 0 up to (not including) 1*")]
    public void Parse_ABadValue_IsRefusedNamingTheOption(string option, string value, string message)
    {
        var parse = () => SampleOptions.Parse([option, value]);

        parse.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [Fact]
    public void Parse_AnUnknownOption_IsRefusedWithTheUsage()
    {
        var parse = () => SampleOptions.Parse(["--modles", "spib"]);

        parse.Should().Throw<ArgumentException>().WithMessage("Unknown option --modles*usage:*");
    }

    [Fact]
    public void Parse_AnOptionWithoutValue_SaysItNeedsOne()
    {
        var parse = () => SampleOptions.Parse(["--seed"]);

        parse.Should().Throw<ArgumentException>().WithMessage("Option --seed needs a value*");
    }
}
