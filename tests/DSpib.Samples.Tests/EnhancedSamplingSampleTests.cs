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
        summary.FormatTable().Should().Contain("metadynamics").And.Contain("plain MD");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        json.RootElement.GetProperty("seeds").GetArrayLength().Should().Be(1);
    }
}
