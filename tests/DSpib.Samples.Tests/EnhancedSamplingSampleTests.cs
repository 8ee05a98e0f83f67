using System.Text.Json;
using DSpib.Samples.EnhancedSampling;

namespace DSpib.Samples.Tests;

[Trait("Category", "Slow")]
public sealed class EnhancedSamplingSampleTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), "dspib-enhanced-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Fact]
    public void ShortRun_RunsTheBiasLoop_AndComparesWithPlainMd()
    {
        var options = EnhancedOptions.Parse(
        [
            "--seeds", "1", "--walkers", "2", "--initial-steps", "20000", "--round-steps", "40000", "--final-steps", "40000",
            "--rounds", "2", "--epochs", "20", "--hill-stride", "100", "--output", _output,
        ]);

        var summary = EnhancedRun.Execute(options, TextWriter.Null, CancellationToken.None);
        var again = EnhancedRun.Execute(options, TextWriter.Null, CancellationToken.None);

        var seed = summary.Seeds.Should().ContainSingle().Subject;
        seed.ForceEvaluations.Should().Be(2L * (20_000 + (2 * 40_000)));
        seed.EnhancedPopulations.Sum().Should().BeApproximately(1, 1e-9);
        seed.EnhancedStandardErrors.Should().HaveCount(3).And.AllSatisfy(e => double.IsFinite(e).Should().BeTrue());
        seed.VariableOverlap.Should().BeInRange(0, 1);

        // The walkers share the bias in lockstep and training is seeded: the same options give the same numbers.
        var repeated = again.Seeds.Should().ContainSingle().Subject;
        repeated.EnhancedPopulations.Should().Equal(seed.EnhancedPopulations);
        repeated.EnhancedTransitions.Should().Be(seed.EnhancedTransitions);
        repeated.PlainPopulations.Should().Equal(seed.PlainPopulations);
        seed.PlainPopulations.Sum().Should().BeApproximately(1, 1e-9);
        double.IsFinite(seed.EnhancedRmse).Should().BeTrue();
        double.IsFinite(seed.PlainRmse).Should().BeTrue();
        summary.ExactPopulations.Sum().Should().BeApproximately(1, 1e-9);
        double.IsNaN(seed.LearnedBiasRmse).Should().BeTrue("no round was biased by a learned free energy");
        summary.FormatTable().Should().Contain("metadynamics").And.Contain("plain MD");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        json.RootElement.GetProperty("seeds").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public void ShortRun_WithTheLearnedFreeEnergyAsTheLastBias_TrainsAPriorAndMeasuresItsFreeEnergy()
    {
        var options = EnhancedOptions.Parse(
        [
            "--seeds", "2", "--walkers", "2", "--initial-steps", "20000", "--round-steps", "40000", "--final-steps", "40000",
            "--rounds", "2", "--epochs", "20", "--hill-stride", "100", "--final-bias", "learned", "--output", _output,
        ]);

        var summary = EnhancedRun.Execute(options, TextWriter.Null, CancellationToken.None);

        var seed = summary.Seeds.Should().ContainSingle().Subject;
        seed.ForceEvaluations.Should().Be(2L * (20_000 + (2 * 40_000)));
        seed.EnhancedPopulations.Sum().Should().BeApproximately(1, 1e-9);
        seed.LearnedBiasRmse.Should().BeGreaterThan(0).And.BeLessThan(5, "the learned F is measured against the exact profile, an unvisited bin counting 5 k_B T");
        double.IsFinite(seed.EnhancedRmse).Should().BeTrue();
        summary.FormatTable().Should().Contain("learned F").And.NotContain("metadynamics");
    }

    [Fact]
    public void ShortLj7Run_ClassifiesFramesIntoTheFourIsomers_AndComparesWithItsLongReferenceRun()
    {
        var options = EnhancedOptions.Parse(
        [
            "--system", "lj7", "--seeds", "2", "--walkers", "2", "--initial-steps", "10000", "--round-steps", "20000", "--final-steps", "40000",
            "--rounds", "2", "--reference-steps", "100000", "--epochs", "10", "--retraining", "reweighted", "--output", _output,
        ]);

        var summary = EnhancedRun.Execute(options, TextWriter.Null, CancellationToken.None);

        summary.States.Should().Equal("C0", "C1", "C2", "C3");
        summary.ExactPopulations.Sum().Should().BeApproximately(1, 1e-9);
        summary.ExactStandardErrors.Should().OnlyContain(e => e > 0, "the reference is a finite run, so its populations carry an error");

        // At k_B T = 0.2 the hexagon holds about half of the weight and each open isomer 0.07-0.22 (a reference of
        // 16 x 2.5 million steps: 0.5 / 0.2 / 0.2 / 0.08); even this short reference puts the hexagon first.
        summary.ExactPopulations[0].Should().BeGreaterThan(summary.ExactPopulations.Skip(1).Max());
        var seed = summary.Seeds.Should().ContainSingle().Subject;
        seed.ForceEvaluations.Should().Be(2L * (10_000 + 20_000 + 40_000));
        seed.EnhancedPopulations.Should().HaveCount(4);
        seed.EnhancedPopulations.Sum().Should().BeApproximately(1, 1e-9);
        seed.PlainPopulations.Sum().Should().BeApproximately(1, 1e-9);
        seed.EnhancedTransitions.Should().BeGreaterThan(0, "LJ7 changes isomer often at k_B T = 0.2, with or without bias");
        double.IsFinite(seed.EnhancedRmse).Should().BeTrue();
        summary.FormatTable().Should().Contain("C0/C1 overlap");
    }
}
