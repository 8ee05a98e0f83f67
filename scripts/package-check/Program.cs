// The package-consumption check (scripts/check-package.sh builds this file as a fresh application that references
// the DSpib.Core package and the libtorch-cpu-linux-x64 backend only). Exit code 0 means the package works.
using DSpib;
using DSpib.Data;
using DSpib.Interop;
using DSpib.Training;

const double Temperature = 0.5;
var failures = new List<string>();
void Check(bool condition, string what)
{
    if (!condition)
    {
        failures.Add(what);
    }
}

// Two walkers in the double well V(x, y) = (x^2 - 1)^2 + y^2 / 2, one started in each well (overdamped Langevin).
var random = new Random(11);
var data = TrajectorySet.Create();
foreach (var start in new[] { -1.0, 1.0 })
{
    const int Frames = 2_000, Stride = 5;
    const double Step = 0.01;
    var frames = new double[Frames, 2];
    var (x, y) = (start, 0.0);
    var noise = Math.Sqrt(2 * Temperature * Step);
    for (var n = 0; n < Frames; n++)
    {
        for (var s = 0; s < Stride; s++)
        {
            x += (-4 * x * ((x * x) - 1) * Step) + (noise * Gaussian(random));
            y += (-y * Step) + (noise * Gaussian(random));
        }

        frames[n, 0] = x;
        frames[n, 1] = y;
    }

    data.Add(frames, Temperature);
}

var trajectories = data.Build();
var labels = InitialLabels.KMeans(trajectories, clusters: 10, seed: 1);
using var model = DSpibModel.Create().WithInputDimension(2).WithLatentDimension(2).WithSeed(1).Build();
var report = Trainer.Create().WithLag(10).WithBatchSize(256).WithLearningRate(1e-2).WithBeta(1e-3)
    .WithRefinement(0, patience: 100).WithMaxEpochs(8).WithSeed(1).Build()
    .Fit(model, trajectories, labels);
Check(report.History.Count > 0 && report.History.All(e => double.IsFinite(e.TrainLoss)), "training reports finite losses");
Check(model.StateCount >= 2, $"training keeps at least two states (has {model.StateCount})");

// Save and load through the package, then check the reloaded model against the trained one.
model.Save(Path.Combine(args[0], "model.dspib"));
using var reloaded = DSpibModel.Load(Path.Combine(args[0], "model.dspib"), DSpib.Devices.DeviceBackend.Cpu());

var probe = trajectories.Trajectories[0].ToMatrix();
var z = reloaded.Encode(probe);
var expected = model.Encode(probe);
Check(z.GetLength(0) == probe.GetLength(0) && z.GetLength(1) == 2, "Encode gives frames x 2");
Check(z.Cast<double>().Zip(expected.Cast<double>()).All(p => p.First == p.Second), "the reloaded model encodes like the trained one");

// Frames deep in the left and right wells should get different states.
var wells = new double[,] { { -1, 0 }, { 1, 0 } };
var wellStates = reloaded.PredictStates(wells);
Check(wellStates[0] != wellStates[1], $"the two wells get different states (got {wellStates[0]} and {wellStates[1]})");

var samples = reloaded.VampPrior!.Sample(1_000, seed: 3);
Check(samples.GetLength(0) == 1_000 && samples.Cast<double>().All(double.IsFinite), "SamplePrior gives 1000 finite samples");

var plumed = reloaded.ToPlumedInput(["x", "y"]);
Check(plumed.Contains("dspib_z1: COMBINE ARG=x,y", StringComparison.Ordinal), "the PLUMED export defines dspib_z1");

var version = typeof(DSpibModel).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
    .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion;
if (failures.Count > 0)
{
    Console.Error.WriteLine($"package check FAILED (DSpib.Core {version}):");
    failures.ForEach(f => Console.Error.WriteLine($"  - {f}"));
    return 1;
}

Console.WriteLine($"package check passed: DSpib.Core {version}; {report.History.Count} epochs, {model.StateCount} states, " +
    $"populations {string.Join(", ", model.Training!.StatePopulations.Select(p => p.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}; " +
    $"encode, predict, sample and PLUMED export work.");
return 0;

static double Gaussian(Random random) =>
    Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
