using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using DSpib.Data.IO;
using DSpib.Featurization;

namespace DSpib.Samples.AlanineDipeptide.DataTool;

/// <summary>One run of generate.sh: its temperature (K) and length (ns).</summary>
internal sealed record RunSpec(int Temperature, double Nanoseconds)
{
    public string Name => string.Create(CultureInfo.InvariantCulture, $"T{Temperature}");

    public static IReadOnlyList<RunSpec> Parse(string text)
    {
        var runs = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(entry =>
        {
            var parts = entry.Split(':');
            return parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var temperature)
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var nanoseconds)
                && temperature > 0 && nanoseconds > 0
                ? new RunSpec(temperature, nanoseconds)
                : throw new ArgumentException($"'{entry}' is not TEMPERATURE:NANOSECONDS (for example 400:90).");
        }).ToArray();
        return runs.Length > 0 ? runs : throw new ArgumentException("Give the runs with --runs \"400:90 450:70 ...\".");
    }
}

internal sealed record DataSetSettings(string Work, IReadOnlyList<RunSpec> Runs, int Stride, string Mdp, string Output, string Provenance);

/// <summary>The conformational basins of alanine dipeptide on the (phi, psi) plane, in degrees.</summary>
internal static class Basins
{
    public static readonly string[] Names = ["C7eq", "alphaR", "C7ax"];

    public const string Definition =
        "C7eq: phi < 0 and psi outside [-120, 20) (the C7eq and C5/beta region); alphaR: phi < 0 and -120 <= psi < 20; " +
        "C7ax: phi >= 0 (C7ax and alphaL). Crossings count changes between the cores phi < -30 (C7eq side) and " +
        "30 < phi < 130 (C7ax side), each direction once, on every 1 ps frame after equilibration.";

    public static int Classify(double phi, double psi) => phi >= 0 ? 2 : psi is >= -120 and < 20 ? 1 : 0;

    public static int Crossings(IReadOnlyList<double> phi)
    {
        var (crossings, side) = (0, 0);
        foreach (var value in phi)
        {
            var core = value < -30 ? -1 : value is > 30 and < 130 ? 1 : 0;
            if (core != 0 && side != 0 && core != side)
            {
                crossings++;
            }

            side = core != 0 ? core : side;
        }

        return crossings;
    }

    public static double[] Populations(IReadOnlyList<int> basins) =>
        Enumerable.Range(0, Names.Length).Select(b => basins.Count(x => x == b) / (double)basins.Count).ToArray();
}

internal static class DataSet
{
    /// <summary>Frames before this time (ps) are equilibration from the minimised structure and are left out.</summary>
    private const double EquilibrationPs = 100;

    /// <summary>Fewer C7eq/C7ax crossings than this leave a run's basin populations unconverged; the provenance says so.</summary>
    private const int MinimumCrossings = 10;

    public static void Write(DataSetSettings settings, TextWriter log)
    {
        var work = settings.Work;
        var structure = Gro.Read(Path.Combine(work, "em.gro"));
        var atoms = structure.Atoms;
        int Atom(string residue, string name) =>
            Enumerable.Range(0, atoms.Count).Single(i => atoms[i].ResidueName == residue && atoms[i].AtomName == name);
        var (phi, psi) = (new[] { Atom("ACE", "C"), Atom("ALA", "N"), Atom("ALA", "CA"), Atom("ALA", "C") },
                          new[] { Atom("ALA", "N"), Atom("ALA", "CA"), Atom("ALA", "C"), Atom("NME", "N") });
        var heavy = structure.AtomIndices(a => !a.IsHydrogen);
        // Molecules are whole in the xtc files, and the 6 nm box is far larger than the molecule: the minimum image
        // changes nothing here but keeps the features right if an atom were ever written across the box.
        var featurizer = Featurizer.Create()
            .WithAtomLabels(atoms.Select(a => $"{a.ResidueName}{a.ResidueNumber}:{a.AtomName}").ToArray())
            .WithMinimumImage()
            .AddDihedral(phi[0], phi[1], phi[2], phi[3], "phi")
            .AddDihedral(psi[0], psi[1], psi[2], psi[3], "psi")
            .AddAllPairDistances(heavy)
            .Build();

        var arrays = new List<(string Name, Action<Stream> Write)>();
        var runs = new JsonArray();
        foreach (var run in settings.Runs)
        {
            var trajectory = Xtc.Read(Path.Combine(work, run.Name + ".xtc"));
            var energyTable = Xvg.Read(Path.Combine(work, run.Name + "-energy.xvg"));
            var energyByTime = energyTable.X.Zip(energyTable.Column("Potential"))
                .ToDictionary(p => (long)Math.Round(p.First * 1000), p => p.Second);
            var lengthPs = run.Nanoseconds * 1000;
            var frames = Enumerable.Range(0, trajectory.FrameCount)
                .Where(f => trajectory.Times[f] > EquilibrationPs && trajectory.Times[f] <= lengthPs + 1e-6)
                .ToArray();
            if (frames.Length == 0 || trajectory.Times[frames[^1]] < lengthPs - 1e-6)
            {
                throw new InvalidDataException($"{run.Name}.xtc ends at {trajectory.Times[^1]} ps, before the {lengthPs} ps of the run.");
            }

            var features = featurizer.Compute(trajectory);
            var angles = frames.Select(f => (Phi: Degrees(features[f, 0], features[f, 1]), Psi: Degrees(features[f, 2], features[f, 3]))).ToArray();
            var basins = angles.Select(a => Basins.Classify(a.Phi, a.Psi)).ToArray();
            var crossings = Basins.Crossings(angles.Select(a => a.Phi).ToArray());
            var kept = Enumerable.Range(0, frames.Length).Where(n => n % settings.Stride == settings.Stride - 1).ToArray();

            var descriptors = new float[kept.Length, featurizer.FeatureCount];
            var phiPsi = new float[kept.Length, 2];
            var energy = new double[kept.Length];
            var time = new double[kept.Length];
            var basin = new int[kept.Length];
            for (var n = 0; n < kept.Length; n++)
            {
                var f = frames[kept[n]];
                for (var j = 0; j < featurizer.FeatureCount; j++)
                {
                    descriptors[n, j] = (float)features[f, j];
                }

                (phiPsi[n, 0], phiPsi[n, 1]) = ((float)angles[kept[n]].Phi, (float)angles[kept[n]].Psi);
                time[n] = trajectory.Times[f];
                energy[n] = energyByTime.TryGetValue((long)Math.Round(time[n] * 1000), out var e)
                    ? e
                    : throw new InvalidDataException($"{run.Name}-energy.xvg has no potential energy at t = {time[n]} ps.");
                basin[n] = basins[kept[n]];
            }

            arrays.Add(($"{run.Name}_descriptors", s => Npy.Write(s, descriptors)));
            arrays.Add(($"{run.Name}_phi_psi", s => Npy.Write(s, phiPsi)));
            arrays.Add(($"{run.Name}_energy", s => Npy.Write(s, energy)));
            arrays.Add(($"{run.Name}_time", s => Npy.Write(s, time)));
            arrays.Add(($"{run.Name}_basin", s => Npy.Write(s, basin)));

            var mdPopulations = Basins.Populations(basins);
            var storedPopulations = Basins.Populations(basin);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Name}: {frames.Length} frames, {crossings} C7eq<->C7ax crossings, populations {string.Join(" ", Basins.Names.Zip(mdPopulations, (b, p) => $"{b} {p:F3}"))}; kept {kept.Length}"));
            runs.Add(new JsonObject
            {
                ["temperature_K"] = run.Temperature,
                ["seed"] = run.Temperature,
                ["length_ns"] = run.Nanoseconds,
                ["equilibration_ps"] = EquilibrationPs,
                ["frames_analysed"] = frames.Length,
                ["frame_spacing_ps"] = 1,
                ["frames_stored"] = kept.Length,
                ["stored_spacing_ps"] = settings.Stride,
                ["c7eq_c7ax_crossings"] = crossings,
                ["populations_all_frames"] = Populations(mdPopulations),
                ["populations_stored_frames"] = Populations(storedPopulations),
                ["mean_potential_kJ_mol"] = Math.Round(energy.Average(), 3),
                ["ns_per_day"] = NsPerDay(Path.Combine(work, run.Name + ".log")),
            });
            if (crossings < MinimumCrossings)
            {
                runs[^1]!["warning"] = $"only {crossings} C7eq<->C7ax crossings (fewer than {MinimumCrossings}): the populations of this run are not converged";
            }
        }

        WriteNpz(settings.Output, arrays);
        var provenance = Provenance(settings, featurizer, runs);
        File.WriteAllText(settings.Provenance, provenance.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        log.WriteLine($"wrote {settings.Output} ({new FileInfo(settings.Output).Length / 1024} KB) and {settings.Provenance}");
    }

    private static JsonObject Provenance(DataSetSettings settings, Featurizer featurizer, JsonArray runs)
    {
        var dataFolder = Path.GetDirectoryName(Path.GetFullPath(settings.Mdp))!;
        string Relative(string line) => line.Replace(dataFolder, "<data>", StringComparison.Ordinal);
        var commands = File.ReadAllLines(Path.Combine(settings.Work, "commands.log")).Select(Relative).ToArray();
        return new JsonObject
        {
            ["system"] = "alanine dipeptide (ACE-ALA-NME), 22 atoms, in vacuum",
            ["gromacs_version"] = File.ReadAllText(Path.Combine(settings.Work, "gromacs-version.txt")).Trim(),
            ["force_field"] = "amber99sb-ildn (GROMACS data package), no water",
            ["vacuum"] = "one molecule in a 6 nm periodic box, plain cut-offs of 2.0 nm: every intramolecular pair is inside the cut-off and no atom reaches a periodic image",
            ["integrator"] = "sd (Langevin), dt 2 fs, tau-t 1 ps, h-bonds constrained",
            ["starting_structure"] = "build_structure.py: heavy atoms from internal coordinates (phi -80, psi 75), hydrogens by pdb2gmx -ignh; minimised (em.mdp)",
            ["commands"] = new JsonArray(commands.Select(c => (JsonNode)c!).ToArray()),
            ["paths"] = "<data> is samples/AlanineDipeptide/data; the commands ran in its work/ folder",
            ["md_mdp_template"] = File.ReadAllText(settings.Mdp),
            ["em_mdp"] = File.ReadAllText(Path.Combine(dataFolder, "em.mdp")),
            ["temperatures_K"] = new JsonArray(settings.Runs.Select(r => (JsonNode)r.Temperature).ToArray()),
            ["runs"] = runs,
            ["basins"] = new JsonArray(Basins.Names.Select(n => (JsonNode)n).ToArray()),
            ["basin_definition"] = Basins.Definition,
            ["arrays"] = "per temperature T<K>: _descriptors (frames x 49, float32: the descriptor names below), _phi_psi (frames x 2, degrees, float32), _energy (potential energy, kJ/mol, float64, from gmx energy at the frame's time), _time (ps, float64), _basin (int32: index into basins)",
            ["descriptor_names"] = new JsonArray(featurizer.Names.Select(n => (JsonNode)n).ToArray()),
            ["descriptor_units"] = "sin and cos of the dihedrals phi (C-N-CA-C) and psi (N-CA-C-N); distances of all 45 pairs of the 10 heavy atoms in nm",
            ["notes"] = "Measured while choosing the temperatures, not in the data set: a 350 K run (seed 350) had no C7eq->C7ax crossing in 100.6 ns, " +
                "and a 450 K run (seed 450) 2 crossings in 21.9 ns; 400 K gave 2 in 90 ns. Crossings become frequent enough for converged populations " +
                "in the time available only from about 500 K, so the runs above 400 K start there.",
        };
    }

    private static JsonArray Populations(double[] populations) =>
        new(populations.Select(p => (JsonNode)Math.Round(p, 4)).ToArray());

    private static double Degrees(double sin, double cos) => Math.Atan2(sin, cos) * 180 / Math.PI;

    private static double NsPerDay(string log)
    {
        var line = File.ReadLines(log).FirstOrDefault(l => l.StartsWith("Performance:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static void WriteNpz(string path, List<(string Name, Action<Stream> Write)> arrays)
    {
        var temporary = path + ".tmp";
        using (var file = File.Create(temporary))
        using (var archive = new ZipArchive(file, ZipArchiveMode.Create))
        {
            foreach (var (name, write) in arrays)
            {
                using var entry = archive.CreateEntry(name + ".npy", CompressionLevel.SmallestSize).Open();
                write(entry);
            }
        }

        File.Move(temporary, path, overwrite: true);
    }
}
