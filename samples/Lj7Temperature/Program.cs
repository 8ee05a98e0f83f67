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

return SampleRunner.Run(args, Lj7Options.Parse, Lj7Run.Execute, summary => summary.FormatTable(), options => options.Output);
