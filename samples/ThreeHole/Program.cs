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

return SampleRunner.Run(
    args,
    SampleOptions.Parse,
    ThreeHoleRun.Execute,
    summary => summary.FormatTable(),
    options => options.Output,
    summary => summary.Succeeded ? null : "Not every model found the three wells with a finite KL; see the table above.");
