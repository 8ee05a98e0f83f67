using System.Globalization;
using System.Text.Json;
using DSpib.Benchmarks;
using DSpib.Devices;

// One command per figure; results are printed and written as JSON to benchmark-results/<figure>.json.
var figure = args.Length > 0 ? args[0] : "help";
if (figure == "gc-stress")
{
    // Not a timing: counts of runs and of what went wrong under collection pressure (docs/reliability.md).
    return CollectionStressRun.Run(Option("--rounds") is { } rounds ? int.Parse(rounds, CultureInfo.InvariantCulture) : 30);
}

int? threads = Option("--threads") is { } count ? int.Parse(count, CultureInfo.InvariantCulture) : null;
ProductPrecision? products = Option("--precision") switch
{
    null => null,
    "exact" => ProductPrecision.Exact,
    "fast" => ProductPrecision.FastFloat32,
    "bf16" => ProductPrecision.BFloat16,
    var other => throw new ArgumentException($"--precision is exact, fast or bf16, not '{other}'."),
};

// The process-wide settings an application asks for: the thread count and the float32 product precision only when the
// command line gives them, and the native heap's reuse of freed memory unless --return-freed-memory.
var backend = DeviceBackend.Cpu(threads, products: products, logger: new ConsoleLogger());
backend.Activate();
var productsInEffect = backend.ProductsInEffect?.ToString() ?? "process default";
Console.WriteLine($"float32 products: {productsInEffect}");
if (!args.Contains("--return-freed-memory"))
{
    NativeHeap.RetainFreedMemory();
}

List<Measurement>? results = figure switch
{
    "spib-epoch" => [SpibEpochBenchmark.FirstRound(epochs: 8), SpibEpochBenchmark.FullRun()],
    "spib-step" => StepProfile.Run(states: 100, steps: 200).Concat(StepProfile.Run(states: 3, steps: 200)).ToList(),
    "memory" => MemoryBenchmark.Run().ToList(),
    "simulation" => SimulationBenchmark.Run().ToList(),
    "diffusion-step" => DiffusionStepBenchmark.Run(backend).ToList(),
    "dspib-epoch" => [DSpibEpochBenchmark.Run()],
    "generation" => GenerationBenchmark.Run(backend).ToList(),
    "collective-variable" => CollectiveVariableBenchmark.Run().ToList(),
    "matmul" => MatrixMultiplyCeiling.Run().ToList(),
    "fuzz" => FuzzBenchmark.Run(Option("--scale") is { } scale ? double.Parse(scale, CultureInfo.InvariantCulture) : 1, args.Contains("--reseal-manifest"), Option("--only")).ToList(),
    _ => null,
};

if (results is null)
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/DSpib.Benchmarks -- <figure> [--threads N] [--precision exact|fast] [--return-freed-memory]");
    Console.WriteLine("figures: spib-epoch, spib-step, memory, simulation, diffusion-step, dspib-epoch, generation, collective-variable, matmul, fuzz");
    Console.WriteLine("fuzz options: --scale X (multiplies 100,000 cases per reader, 10,000 per model file and checkpoint), --only TARGET (.npy, .npz, CSV, COLVAR, .xvg, .gro, .xtc, 'model file', checkpoint), --reseal-manifest");
    Console.WriteLine("gc-stress [--rounds N]: every native-lifetime workload N times under collection pressure (default 30)");
    return 1;
}

foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name,-40} median {r.Median,10:F4} {r.Unit}  (IQR {r.Lower:F4}-{r.Upper:F4}, min {r.Min:F4}, n={r.Samples.Count})"));
    foreach (var (key, value) in r.Settings)
    {
        Console.WriteLine($"    {key}: {value}");
    }
}

Directory.CreateDirectory("benchmark-results");
var path = Path.Combine("benchmark-results", figure + ".json");
var json = results.Select(r => new { r.Name, r.Unit, r.Median, r.Lower, r.Upper, r.Min, r.Samples, r.Settings, Products = productsInEffect, Machine = Environment.MachineName, Cores = Environment.ProcessorCount, Date = DateTime.UtcNow });
File.WriteAllText(path, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"written {path}");
return 0;

string? Option(string name) => Array.IndexOf(args, name) is var index and >= 0 && index + 1 < args.Length ? args[index + 1] : null;
