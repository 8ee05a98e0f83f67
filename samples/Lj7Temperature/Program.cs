using System.Diagnostics;
using System.Globalization;
using DSpib.Samples;
using DSpib.Samples.Lj7Temperature;

// Simulates LJ7 in two dimensions at several temperatures, trains D-SPIB on two of them, and compares generated and
// exact free energies with MD at all of them, seen and unseen.
if (CommandLine.WantsHelp(args))
{
    Console.WriteLine(Lj7Options.Usage);
    Console.WriteLine("       dotnet run -c Release --project samples/Lj7Temperature -- aggregate DIR");
    Console.WriteLine("         gathers the summary.json of every run under DIR into DIR/study.md and DIR/study.json");
    return 0;
}

if (args.Length == 2 && args[0] == "aggregate")
{
    Lj7Study.Aggregate(args[1], Console.Out);
    return 0;
}

Lj7Options options;
try
{
    options = Lj7Options.Parse(args);
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
Lj7Summary summary;
try
{
    summary = Lj7Run.Execute(options, Console.Out, cancellation.Token);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Cancelled; no results were written.");
    return 130;
}

Console.WriteLine();
Console.WriteLine(summary.FormatTable());
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Done in {stopwatch.Elapsed.TotalSeconds:F0} s. Results and pictures: {Path.GetFullPath(options.Output)}"));
return 0;
