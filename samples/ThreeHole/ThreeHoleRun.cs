using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using DSpib.Data;
using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;
using DSpib.Training;

namespace DSpib.Samples.ThreeHole;

/// <summary>The whole three-hole pipeline: simulate, label, train, compare with Boltzmann weights, write results.</summary>
internal static class ThreeHoleRun
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static ThreeHoleSummary Execute(SampleOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Output);
        var potential = new ThreeHolePotential();

        // The exact Boltzmann distribution on a fine grid: walker starts are drawn from it, and state populations are
        // checked against it.
        var grid = BoltzmannGrid.Create(potential, options.Temperature);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulating {options.Walkers} walkers x {options.FramesPerWalker} frames at k_B T = {options.Temperature} (overdamped Langevin, dt = {options.TimeStep}, {options.StepsPerFrame} steps per frame)..."));
        var simulation = Simulate(potential, grid, options, options.Walkers, options.FramesPerWalker, options.StepsPerFrame, options.Seed, cancellationToken);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {simulation.TotalSteps:N0} steps in {simulation.Elapsed.TotalSeconds:F1} s"));

        var builder = TrajectorySet.Create();
        for (var walker = 0; walker < simulation.Trajectories.Count; walker++)
        {
            builder.Add(simulation.Trajectories[walker], options.Temperature, name: $"walker {walker}");
        }

        var data = builder.Build();
        log.WriteLine($"Clustering {data.TotalFrames} frames into {options.Clusters} initial states (k-means on x, y)...");
        var labels = InitialLabels.KMeans(data, options.Clusters, options.Seed);

        using var model = DSpibModel.Create()
            .WithInputDimension(2)
            .WithLatentDimension(2)
            .WithLinearEncoder()
            .WithDecoder(16, 16)
            .AsSpibBaseline()
            .WithSeed(options.Seed)
            .Build();
        var trainer = Trainer.Create()
            .WithLag(options.Lag)
            .WithBatchSize(options.BatchSize)
            .WithLearningRate(options.LearningRate)
            .WithBeta(options.Beta)
            .WithRefinement(options.Refinements)
            .WithMaxEpochs(options.MaxEpochs)
            .WithSeed(options.Seed)
            .Build();
        log.WriteLine($"Training SPIB (lag {options.Lag} frames, beta {options.Beta}, batch {options.BatchSize})...");
        var progress = new EpochPrinter(log);
        var report = trainer.Fit(model, data, labels, progress, cancellationToken);

        // Boltzmann population of each state: the grid's weights summed over the points the model assigns to it.
        var gridStates = model.PredictStates(grid.Points());
        var boltzmann = grid.Populations(gridStates, model.StateCount);

        // Populations from the training frames carry the sampling noise of the slow left-right exchange (a standard
        // error near 0.02 at the default size), so the states are also measured on a long independent run.
        var training = PopulationEstimate.FromWalkers(Enumerable.Range(0, data.Trajectories.Count).Select(i => report.FinalLabels.ForTrajectory(i).ToArray()).ToArray(), model.StateCount);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Measuring state populations on an independent run of {options.VerificationWalkers} walkers x {options.VerificationFrames} frames every {options.VerificationStride} steps..."));
        var verification = Simulate(potential, grid, options, options.VerificationWalkers, options.VerificationFrames, options.VerificationStride, options.Seed + 1, cancellationToken);
        var verificationStates = verification.Trajectories.Select(model.PredictStates).ToArray();
        var independent = PopulationEstimate.FromWalkers(verificationStates, model.StateCount);

        var summary = ThreeHoleSummary.From(options, report, boltzmann, training, independent, simulation, verification);
        log.WriteLine();
        log.WriteLine(summary.FormatTable());

        StateMapPlot.Write(Path.Combine(options.Output, "state-map.png"), potential, grid, gridStates, summary);
        WriteStateMapCsv(Path.Combine(options.Output, "state-map.csv"), grid.Points(), gridStates);
        File.WriteAllText(Path.Combine(options.Output, "summary.json"), JsonSerializer.Serialize(summary, JsonOptions));
        return summary;
    }

    /// <summary>Overdamped Langevin walkers started from Boltzmann-distributed points, so they are in equilibrium from the first step.</summary>
    private static SimulationResult Simulate(ThreeHolePotential potential, BoltzmannGrid grid, SampleOptions options, int walkers, int frames, int stride, int seed, CancellationToken cancellationToken)
    {
        var langevin = new LangevinOptions
        {
            Temperature = options.Temperature,
            TimeStep = options.TimeStep,
            Walkers = walkers,
            FramesPerWalker = frames,
            StepsPerFrame = stride,
            EquilibrationSteps = options.EquilibrationSteps,
            Seed = seed,
        };
        return new OverdampedLangevin(langevin).Run(potential, grid.Sample(walkers, seed), null, cancellationToken);
    }

    private static void WriteStateMapCsv(string path, double[,] points, int[] states)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("x,y,state");
        for (var i = 0; i < states.Length; i++)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{points[i, 0]:R},{points[i, 1]:R},{states[i]}"));
        }
    }

    /// <summary>Prints one line per epoch, and a line per refinement as the state count changes.</summary>
    private sealed class EpochPrinter(TextWriter log) : IProgress<EpochSummary>
    {
        public void Report(EpochSummary value) =>
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  epoch {value.Epoch,4}  refinements {value.RefinementsDone,2}  train loss {value.TrainLoss,8:F4}  test loss {value.TestLoss,8:F4}  states {value.StateCount,3}  {value.Elapsed.TotalSeconds,6:F1} s"));
    }
}
