using System.Diagnostics;
using System.Globalization;
using DSpib.Samples.ThreeHole;

// Simulates the three-hole potential, labels frames with k-means, trains SPIB, and writes the states it finds with
// their populations next to the exact Boltzmann populations of the same regions.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(SampleOptions.Usage);
    return 0;
}

SampleOptions options;
try
{
    options = SampleOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops training cleanly between two steps; results so far are still written.
    e.Cancel = true;
    cancellation.Cancel();
};

var stopwatch = Stopwatch.StartNew();
var result = ThreeHoleRun.Execute(options, Console.Out, cancellation.Token);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {stopwatch.Elapsed.TotalSeconds:F0} s. Results: {Path.GetFullPath(options.Output)}"));
return result.StateCount == 3 ? 0 : 1;
