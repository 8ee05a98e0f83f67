using DSpib.Samples;
using DSpib.Samples.AlanineDipeptide.DataTool;

const string Usage = """
    DataTool: turns the GROMACS runs of generate.sh into the alanine dipeptide data set.

      --work DIR         the runs (em.gro, T<K>.xtc, T<K>-energy.xvg, T<K>.log, commands.log)
      --runs "T:NS ..."  temperature (K) and length (ns) of each run, as in generate.sh
      --stride N         keep every N-th frame of the 1 ps trajectories (default 20)
      --mdp FILE         the run parameter template (md.mdp.in), copied into the provenance
      --out FILE         the data set (.npz)
      --provenance FILE  the provenance (.json)
    """;

if (CommandLine.WantsHelp(args))
{
    Console.WriteLine(Usage);
    return 0;
}

try
{
    var options = new CommandLine(args, Usage);
    var settings = new DataSetSettings(
        options.Text("--work", "work"),
        RunSpec.Parse(options.Text("--runs", "")),
        options.WholeNumber("--stride", 20),
        options.Text("--mdp", "md.mdp.in"),
        options.Text("--out", "alanine-dipeptide.npz"),
        options.Text("--provenance", "alanine-dipeptide.json"));
    options.EnsureAllUsed();
    DataSet.Write(settings, Console.Out);
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or InvalidDataException or IOException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
