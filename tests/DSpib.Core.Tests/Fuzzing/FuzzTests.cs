using Xunit.Abstractions;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of every reader: thousands of mutated files each, every one of which must be refused with
/// the reader's documented exception or read correctly, within a time limit and a memory budget. The seeds are fixed,
/// so a failure names a case that reproduces; <c>dotnet run -c Release --project tests/DSpib.Benchmarks -- fuzz</c>
/// runs the same targets far longer. The model file and the checkpoint are fuzzed by <see cref="ModelFuzzTests"/>.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>
    /// A case may take this long: reads of these small files take milliseconds, so this is three orders of magnitude
    /// of room for a machine busy with other work, and still catches a loop over a claimed size.
    /// </summary>
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(5);

    [Fact]
    public void Npy_10000Mutations_AreRefusedOrReadCorrectly() => Fuzz(ArrayFuzzTargets.Npy(), 10_000, output);

    [Fact]
    public void Npz_10000Mutations_AreRefusedOrReadCorrectly() => Fuzz(ArrayFuzzTargets.Npz(), 10_000, output);

    [Fact]
    public void Csv_10000Mutations_AreRefusedOrReadCorrectly() => Fuzz(TextFuzzTargets.Csv(), 10_000, output);

    [Fact]
    public void Colvar_10000Mutations_AreRefusedOrReadCorrectly() => Fuzz(TextFuzzTargets.Colvar(), 10_000, output);

    [Fact]
    public void Xvg_10000Mutations_AreRefusedOrReadCorrectly() => Fuzz(GromacsFuzzTargets.Xvg(), 10_000, output);

    [Fact]
    public void Gro_10000Mutations_AreRefusedOrReadCorrectly() => Fuzz(GromacsFuzzTargets.Gro(), 10_000, output);

    [Fact]
    public void Xtc_10000Mutations_AreRefusedOrReadCorrectly() => Fuzz(GromacsFuzzTargets.Xtc(), 10_000, output);

    /// <summary>Runs the target with the suite's seed and requires every case to be refused or read correctly.</summary>
    internal static void Fuzz(FuzzTarget target, int cases, ITestOutputHelper output)
    {
        var report = FuzzRunner.Run(target, seed: 14, cases, CaseLimit);
        output.WriteLine(report.ToString());

        // The seeds of model files and checkpoints hold training times, so a failing input is kept to reproduce it.
        var kept = report.Failures.Count == 0 ? null : Directory.CreateTempSubdirectory("dspib-fuzz-failures-").FullName;
        foreach (var failure in report.Failures)
        {
            File.WriteAllBytes(Path.Combine(kept!, $"{target.Name.Replace(' ', '-').TrimStart('.')}-case{failure.Case}.bin"), failure.Input);
        }

        report.Failures.Should().BeEmpty($"{report}\nthe failing inputs are in {kept}");
        report.Cases.Should().Be(cases);

        // Both outcomes occur: a fuzzer whose mutations were all refused (or all harmless) would test little.
        report.Refused.Should().BeGreaterThan(cases / 10);
        report.Read.Should().BeGreaterThan(0);
    }
}
