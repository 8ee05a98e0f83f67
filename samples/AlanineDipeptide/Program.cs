using DSpib.Samples;
using DSpib.Samples.AlanineDipeptide;

// Alanine dipeptide from GROMACS at five temperatures: trains D-SPIB on two of them and compares, at the others, the
// populations of the conformational basins and the free energies with MD, with the nearest training temperature and
// with MBAR reweighting of the training temperatures' potential energies.
if (CommandLine.WantsHelp(args))
{
    Console.WriteLine(AlanineOptions.Usage);
    return 0;
}

return SampleRunner.Run(args, AlanineOptions.Parse, AlanineRun.Execute, summary => summary.FormatTable(), options => options.Output);
