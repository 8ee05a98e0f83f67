using System.Globalization;
using static TorchSharp.torch;

namespace DSpib.Benchmarks;

/// <summary>
/// The machine's float32 matrix-multiply rate through TorchSharp: the ceiling that arithmetic-bound figures are
/// reported against. Large square products give the ceiling; the score network's own shapes (thousands of rows
/// times 16-64 wide layers) show how much of it small layers can reach.
/// </summary>
internal static class MatrixMultiplyCeiling
{
    /// <summary>(rows, inner, columns) of the products measured.</summary>
    private static readonly (int M, int K, int N)[] Shapes =
    [
        (2048, 2048, 2048),
        (8192, 64, 64),
        (5000, 64, 64),
        (8192, 16, 64),
    ];

    public static IEnumerable<Measurement> Run(int repeats = 15)
    {
        foreach (var measurement in Run(ScalarType.Float32, "matmul", repeats))
        {
            yield return measurement;
        }

        // bfloat16 operands (float32 accumulation): what a bfloat16 kernel reaches, where the CPU has one.
        foreach (var measurement in Run(ScalarType.BFloat16, "matmul bf16", repeats))
        {
            yield return measurement;
        }
    }

    private static IEnumerable<Measurement> Run(ScalarType type, string label, int repeats)
    {
        foreach (var (m, k, n) in Shapes)
        {
            using var a = randn(m, k).to(type);
            using var b = randn(k, n).to(type);
            var flops = 2.0 * m * k * n;

            // Enough products per sample for about 20 ms of work at 50 GFLOP/s.
            var products = Math.Max(1, (int)(1e9 / flops));
            var settings = new Dictionary<string, string>
            {
                ["shape"] = $"[{m}, {k}] x [{k}, {n}]",
                ["threads"] = get_num_threads().ToString(CultureInfo.InvariantCulture),
            };
            var timing = Measurement.Time($"{label} {m}x{k}x{n}", 3, repeats, () =>
            {
                for (var i = 0; i < products; i++)
                {
                    using var product = a.mm(b);
                }
            }, settings);
            yield return timing with { Unit = "GFLOP/s", Samples = timing.Samples.Select(s => flops * products / s / 1e9).ToArray() };
        }
    }

    /// <summary>The median rate of the large square product, in FLOP/s.</summary>
    public static double Ceiling(IEnumerable<Measurement> measurements) => measurements.First().Median * 1e9;
}
