using System.Text.Json;
using DSpib.Data.IO;

namespace DSpib.Samples.Tests;

/// <summary>
/// The committed alanine dipeptide data set (samples/AlanineDipeptide/data, made by generate.sh with GROMACS): its
/// provenance and the shapes and consistency of its arrays. GROMACS is not needed.
/// </summary>
public sealed class AlanineDipeptideDataTests
{
    private static readonly Lazy<(JsonElement Provenance, IReadOnlyDictionary<string, NpyArray> Arrays)> Data = new(() =>
    {
        var folder = Path.Combine(RepositoryRoot(), "samples", "AlanineDipeptide", "data");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "alanine-dipeptide.json")));
        return (json.RootElement.Clone(), Npz.Read(Path.Combine(folder, "alanine-dipeptide.npz")));
    });

    private static JsonElement Provenance => Data.Value.Provenance;

    private static IEnumerable<JsonElement> Runs => Provenance.GetProperty("runs").EnumerateArray();

    [Fact]
    public void Provenance_NamesTheEngineForceFieldCommandsAndTemperatures()
    {
        Provenance.GetProperty("gromacs_version").GetString().Should().StartWith("2022.5");
        Provenance.GetProperty("force_field").GetString().Should().Contain("amber99sb-ildn");
        var commands = Provenance.GetProperty("commands").EnumerateArray().Select(c => c.GetString()!).ToArray();
        commands.Should().Contain(c => c.StartsWith("gmx pdb2gmx", StringComparison.Ordinal) && c.Contains("-ff amber99sb-ildn", StringComparison.Ordinal));
        var temperatures = Provenance.GetProperty("temperatures_K").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        temperatures.Length.Should().BeGreaterThanOrEqualTo(4);
        temperatures.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        Runs.Select(r => r.GetProperty("temperature_K").GetInt32()).Should().Equal(temperatures);
        foreach (var temperature in temperatures)
        {
            commands.Should().Contain($"nice -n 10 gmx mdrun -nt 1 -deffnm T{temperature}", "every run used one thread");
        }

        Provenance.GetProperty("md_mdp_template").GetString().Should().Contain("integrator          = sd");
        Provenance.GetProperty("descriptor_names").GetArrayLength().Should().Be(49);
    }

    [Fact]
    public void EveryTemperature_CrossesBetweenC7eqAndC7ax_AndItsPopulationsAddUp()
    {
        foreach (var run in Runs)
        {
            run.GetProperty("c7eq_c7ax_crossings").GetInt32().Should().BePositive();
            foreach (var key in new[] { "populations_all_frames", "populations_stored_frames" })
            {
                // Rounded to 4 decimals each.
                run.GetProperty(key).EnumerateArray().Sum(p => p.GetDouble()).Should().BeApproximately(1, 2e-4);
            }
        }
    }

    [Fact]
    public void Arrays_HaveTheDocumentedShapes_AndAgreeWithEachOther()
    {
        var names = Provenance.GetProperty("descriptor_names").EnumerateArray().Select(n => n.GetString()).ToArray();
        names[..4].Should().Equal("sin(phi)", "cos(phi)", "sin(psi)", "cos(psi)");
        var basinNames = Provenance.GetProperty("basins").EnumerateArray().Select(b => b.GetString()).ToArray();
        basinNames.Should().Equal("C7eq", "alphaR", "C7ax");
        var meanEnergies = new List<double>();
        foreach (var run in Runs)
        {
            var prefix = $"T{run.GetProperty("temperature_K").GetInt32()}_";
            var frames = run.GetProperty("frames_stored").GetInt32();
            var descriptors = Array(prefix + "descriptors", frames, names.Length).ToMatrix();
            var angles = Array(prefix + "phi_psi", frames, 2).ToMatrix();
            var energy = Array(prefix + "energy", frames).ToDoubleArray();
            var time = Array(prefix + "time", frames).ToDoubleArray();
            var basin = Array(prefix + "basin", frames).ToInt32Array();

            var spacing = run.GetProperty("stored_spacing_ps").GetDouble();
            time.Zip(time.Skip(1)).Should().OnlyContain(t => Math.Abs(t.Second - t.First - spacing) < 1e-6);
            energy.Should().OnlyContain(e => double.IsFinite(e));
            // The JSON holds the mean rounded to 3 decimals.
            energy.Average().Should().BeApproximately(run.GetProperty("mean_potential_kJ_mol").GetDouble(), 1e-3);
            meanEnergies.Add(energy.Average());
            var counts = new int[3];
            for (var n = 0; n < frames; n++)
            {
                // float32 values: sin^2 + cos^2 = 1 to a few 1e-7; the angles agree with them to float32 rounding of degrees.
                foreach (var column in new[] { 0, 2 })
                {
                    (Math.Pow(descriptors[n, column], 2) + Math.Pow(descriptors[n, column + 1], 2)).Should().BeApproximately(1, 1e-5);
                    var degrees = Math.Atan2(descriptors[n, column], descriptors[n, column + 1]) * 180 / Math.PI;
                    var difference = Math.Abs(degrees - angles[n, column / 2]) % 360;
                    Math.Min(difference, 360 - difference).Should().BeLessThan(1e-3);
                }

                // Heavy atoms are bonded at 0.12-0.16 nm or farther apart, and the molecule spans less than 1 nm.
                for (var j = 4; j < names.Length; j++)
                {
                    descriptors[n, j].Should().BeInRange(0.1, 1.0);
                }

                // The documented basins: C7ax phi >= 0; alphaR phi < 0 and -120 <= psi < 20; C7eq the rest.
                var (phi, psi) = (angles[n, 0], angles[n, 1]);
                basin[n].Should().Be(phi >= 0 ? 2 : psi is >= -120 and < 20 ? 1 : 0);
                counts[basin[n]]++;
            }

            var stored = run.GetProperty("populations_stored_frames").EnumerateArray().Select(p => p.GetDouble()).ToArray();
            for (var b = 0; b < 3; b++)
            {
                stored[b].Should().BeApproximately(counts[b] / (double)frames, 1e-4);
            }
        }

        // More thermal energy at higher temperature: the mean potential energy rises with the temperature.
        meanEnergies.Should().BeInAscendingOrder();
    }

    private static NpyArray Array(string name, params int[] shape)
    {
        Data.Value.Arrays.Should().ContainKey(name);
        var array = Data.Value.Arrays[name];
        array.Shape.Should().Equal(shape, name);
        return array;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "DSpib.Core.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"DSpib.Core.sln not found above {AppContext.BaseDirectory}.");
    }
}
