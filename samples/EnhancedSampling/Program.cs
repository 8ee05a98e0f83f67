using DSpib.Samples;
using DSpib.Samples.EnhancedSampling;

// The bias loop on the three-hole potential at a low temperature (or on LJ7 with --system lj7): a short unbiased run
// from the first state, SPIB on it, well-tempered metadynamics along the learned one-dimensional variable, SPIB again
// on the biased frames, for several rounds (with --final-bias learned, the last round is biased instead by the free
// energy along the variable that a D-SPIB model learned from the frames so far); then state populations and the free energy along the variable
// (reweighted) against the exact answer and against plain MD of the same number of force evaluations.
if (CommandLine.WantsHelp(args))
{
    Console.WriteLine(EnhancedOptions.Usage);
    return 0;
}

return SampleRunner.Run(
    args,
    EnhancedOptions.Parse,
    EnhancedRun.Execute,
    summary => summary.FormatTable(),
    options => options.Output);
