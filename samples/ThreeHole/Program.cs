using System.Diagnostics;
using System.Globalization;
using DSpib.Samples;
using DSpib.Samples.ThreeHole;

// Simulates the three-hole potential, labels frames with k-means, and trains SPIB and D-SPIB on the same data: prints
// the states each finds against the exact Boltzmann populations, and how closely each prior's generated latent samples
// match the encoded held-out frames (symmetrised histogram KL, next to its finite-sample floor).
if (CommandLine.WantsHelp(args))
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
    // The first Ctrl+C stops the run between two steps.
    e.Cancel = true;
    cancellation.Cancel();
};

var stopwatch = Stopwatch.StartNew();
ThreeHoleSummary summary;
try
{
    summary = ThreeHoleRun.Execute(options, Console.Out, cancellation.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled; no summary was written.");
    return 130;
}

Console.WriteLine();
Console.WriteLine(summary.FormatTable());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {stopwatch.Elapsed.TotalSeconds:F0} s. Results and pictures: {Path.GetFullPath(options.Output)}"));
if (!summary.Succeeded)
{
    Console.Error.WriteLine("Not every model found the three wells with a finite KL; see the table above.");
    return 1;
}

return 0;
