using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.ExceptionServices;
using DSpib.Analysis;
using DSpib.Data;
using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;
using DSpib.Training;

namespace DSpib.Samples.ThreeHole;

/// <summary>
/// The three-hole comparison: simulate, label, train SPIB and D-SPIB on the same data and split, then score how well
/// each prior generates the encoded held-out frames, count the states and compare their populations with Boltzmann's.
/// </summary>
internal static class ThreeHoleRun
{
    /// <summary>Bins along each latent axis of the KL's histograms (the reference's 100).</summary>
    private const int Bins = 100;

    public static ThreeHoleSummary Execute(SampleOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        Directory.CreateDirectory(options.Output);
        var potential = new ThreeHolePotential();

        // The exact Boltzmann distribution on a fine grid: walker starts are drawn from it, and state populations are
        // checked against it.
        var grid = BoltzmannGrid.Create(potential, options.Temperature);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulating {options.Walkers} walkers x {options.FramesPerWalker} frames at k_B T = {options.Temperature} (overdamped Langevin, dt = {options.TimeStep}, {options.StepsPerFrame} steps per frame)..."));
        var simulation = Simulate(potential, grid, options, options.Walkers, options.FramesPerWalker, options.StepsPerFrame, options.Seed, cancellationToken);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {simulation.TotalSteps:N0} steps in {simulation.Elapsed.TotalSeconds:F1} s"));

        // Held-out frames come from an independent run rather than from the trainer's validation pairs: those are frames
        // of the training trajectories, correlated with the training frames next to them. The same run measures the
        // state populations, with far more left-right exchanges than the training run has.
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulating an independent run for held-out frames: {options.VerificationWalkers} walkers x {options.VerificationFrames} frames every {options.VerificationStride} steps..."));
        var verification = Simulate(potential, grid, options, options.VerificationWalkers, options.VerificationFrames, options.VerificationStride, options.Seed + 1, cancellationToken);

        var builder = TrajectorySet.Create();
        for (var walker = 0; walker < simulation.Trajectories.Count; walker++)
        {
            builder.Add(simulation.Trajectories[walker], options.Temperature, name: $"walker {walker}");
        }

        var data = builder.Build();
        log.WriteLine($"Clustering {data.TotalFrames:N0} frames into {options.Clusters} initial states (k-means on x, y)...");
        var labels = InitialLabels.KMeans(data, options.Clusters, options.Seed);

        // One backend for every model: the product precision's outcome is reported once.
        var backend = SampleDevice.Cpu(options.Threads, options.Products, log);
        backend.Activate();
        log.WriteLine(SampleDevice.Describe(backend));
        var outcomes = TrainAndScoreAll(options, log, (name, modelLog) =>
            TrainAndScore(name, options, backend, data, labels, simulation, verification, grid, potential, modelLog, cancellationToken), cancellationToken);
        var results = outcomes.Select(o => o.Result).ToList();
        var rows = outcomes.Select(o => o.Row).ToList();
        var gridStates = options.Models.Zip(outcomes).ToDictionary(p => p.First, p => p.Second.GridStates, StringComparer.Ordinal);

        FreeEnergyPlot.Write(Path.Combine(options.Output, "free-energy.png"), rows, Bins);
        WriteStateMapCsv(Path.Combine(options.Output, "state-map.csv"), grid.Points(), gridStates);
        var summary = new ThreeHoleSummary(options, results, data.TotalFrames, simulation.TotalSteps, simulation.Elapsed.TotalSeconds, verification.TotalSteps, stopwatch.Elapsed.TotalSeconds);
        ResultFiles.WriteJson(Path.Combine(options.Output, "summary.json"), summary);
        return summary;
    }

    /// <summary>
    /// Every model's outcome, in the order of <see cref="SampleOptions.Models"/>. The models are independent (each has its
    /// own seeded generators), so on several cores they train at the same time, one thread each, longest first; their
    /// numbers are the same as one after another, and each line they print carries the model's name.
    /// </summary>
    private static (ModelResult Result, FreeEnergyPlot.Row Row, int[] GridStates)[] TrainAndScoreAll(
        SampleOptions options,
        TextWriter log,
        Func<string, TextWriter, (ModelResult Result, FreeEnergyPlot.Row Row, int[] GridStates)> trainAndScore,
        CancellationToken cancellationToken)
    {
        var outcomes = new (ModelResult Result, FreeEnergyPlot.Row Row, int[] GridStates)[options.Models.Count];
        var concurrent = options.ConcurrentModels();
        if (concurrent == 1)
        {
            for (var i = 0; i < outcomes.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                outcomes[i] = trainAndScore(options.Models[i], log);
            }

            return outcomes;
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Training {outcomes.Length} models, {concurrent} at a time, {options.Threads} libtorch thread(s) each:"));
        var shared = TextWriter.Synchronized(log);
        var longestFirst = Enumerable.Range(0, outcomes.Length).OrderBy(i => ThreeHoleModels.TrainingCostRank(options.Models[i]));
        try
        {
            Parallel.ForEach(
                Partitioner.Create(longestFirst, EnumerablePartitionerOptions.NoBuffering),
                new ParallelOptions { MaxDegreeOfParallelism = concurrent, CancellationToken = cancellationToken },
                i =>
                {
                    using var modelLog = new LabelledWriter(shared, options.Models[i]);
                    outcomes[i] = trainAndScore(options.Models[i], modelLog);
                });
        }
        catch (AggregateException failed) when (failed.InnerExceptions.Count > 0)
        {
            // The first failure rethrown as itself, as a run of one model after another would end: a cancellation stays a
            // cancellation, and a training that cannot go on keeps the library's exception and message.
            ExceptionDispatchInfo.Capture(failed.InnerExceptions[0]).Throw();
        }

        return outcomes;
    }

    private static (ModelResult Result, FreeEnergyPlot.Row Row, int[] GridStates) TrainAndScore(
        string name,
        SampleOptions options,
        DSpib.Devices.CpuBackend backend,
        TrajectorySet data,
        StateLabels labels,
        SimulationResult simulation,
        SimulationResult verification,
        BoltzmannGrid grid,
        ThreeHolePotential potential,
        TextWriter log,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var description = ThreeHoleModels.Describe(name);
        using var model = ThreeHoleModels.Build(name, options, backend);
        log.WriteLine($"Training {description} on {data.TotalFrames:N0} frames (lag {options.Training.Lag}, beta {options.Training.Beta}, batch {options.Training.BatchSize})...");
        var report = ThreeHoleModels.Trainer(name, options).Fit(model, data, labels, new EpochPrinter(log, name, every: 10), cancellationToken);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {report.StateCount} states after {report.History.Count} epochs ({report.StopReason}) in {report.Elapsed.TotalSeconds:F0} s{EpochPrinter.DescribeFit(report)}"));

        // Boltzmann population of each state: the grid's weights summed over the points the model assigns to it.
        var statesOnGrid = model.PredictStates(grid.Points());
        var boltzmann = grid.Populations(statesOnGrid, model.StateCount);
        var training = PopulationEstimate.FromWalkers(Enumerable.Range(0, data.Trajectories.Count).Select(i => report.FinalLabels.ForTrajectory(i).ToArray()).ToArray(), model.StateCount);
        var independent = PopulationEstimate.FromWalkers(verification.Trajectories.Select(model.PredictStates).ToArray(), model.StateCount);
        var states = StateSummary.From(report, simulation, training, independent, boltzmann);

        // The held-out walkers in two disjoint halves: the first half is the encoded data every generated set is scored
        // against; the second half stands in for a generated set in the floor, so the floor is the score of a perfect
        // generator with MD's sampling noise. Splitting by walker keeps the halves independent (frames of one walker are
        // correlated). The floor's stand-in has as many frames as there are generated samples; when the second half is
        // smaller it is all of it, and the floor is then somewhat above that of the generated size.
        var encoded = verification.Trajectories.Select(model.Encode).ToArray();
        var half = encoded.Length / 2;
        var reference = FrameRows.Stack(encoded[..half]);
        var floorSample = FrameRows.EvenlySpaced(FrameRows.Stack(encoded[half..]), options.GeneratedSamples);

        // Two variables, two comparisons. The collective variable is the encoder mean (what Encode returns); the
        // bottleneck's latent samples are means plus encoder noise (what SamplePosterior draws), which the joint
        // diffusion prior and the VampPrior describe. Each generated set is scored against held-out frames of its own
        // variable, and the bottleneck prior also against the means, the mismatch a user comparing it with encoded
        // frames would see.
        var sampling = Stopwatch.StartNew();
        var hasDiffusion = ThreeHoleModels.HasDiffusionPrior(name);
        var bottleneckSamples = hasDiffusion
            ? model.Diffusion!.Sample(options.GeneratedSamples, options.Temperature, seed: options.Seed + 1000, cancellationToken: cancellationToken)
            : model.VampPrior!.Sample(options.GeneratedSamples, options.Seed + 1000);
        var generated = hasDiffusion && model.CollectiveVariableDiffusion!.IsAvailable
            ? model.CollectiveVariableDiffusion.Sample(options.GeneratedSamples, options.Temperature, seed: options.Seed + 1000, cancellationToken: cancellationToken)
            : bottleneckSamples;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {generated.GetLength(0):N0} latent samples of each prior generated in {sampling.Elapsed.TotalSeconds:F0} s"));
        var range = HistogramRange.Covering([generated, bottleneckSamples, reference, floorSample]);
        var kl = HistogramDivergence.SymmetrizedKl(generated, reference, Bins, range: range);
        var floor = HistogramDivergence.SymmetrizedKl(floorSample, reference, Bins, range: range);
        var bottleneckKl = HistogramDivergence.SymmetrizedKl(bottleneckSamples, reference, Bins, range: range);
        var posteriorReference = FrameRows.Stack(verification.Trajectories.Take(half).Select(t => model.SamplePosterior(t, options.Seed + 2000)).ToArray());
        var posteriorFloorSample = FrameRows.EvenlySpaced(FrameRows.Stack(verification.Trajectories.Skip(half).Select(t => model.SamplePosterior(t, options.Seed + 3000)).ToArray()), options.GeneratedSamples);
        var posteriorRange = HistogramRange.Covering([bottleneckSamples, posteriorReference, posteriorFloorSample]);
        var posteriorKl = HistogramDivergence.SymmetrizedKl(bottleneckSamples, posteriorReference, Bins, range: posteriorRange);
        var posteriorFloor = HistogramDivergence.SymmetrizedKl(posteriorFloorSample, posteriorReference, Bins, range: posteriorRange);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  KL of {generated.GetLength(0):N0} generated collective-variable samples against {reference.GetLength(0):N0} encoded held-out frames: {kl:F3} (floor {floor:F3})"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  KL of the bottleneck prior's samples against the encoded frames: {bottleneckKl:F3}; against posterior draws of them: {posteriorKl:F3} (floor {posteriorFloor:F3})"));

        // Populations a chemist reads first, from generated samples alone: each sample's state by the decoder.
        var generatedStates = model.PredictStatesOfLatent(generated);
        var generatedPopulations = Enumerable.Range(0, model.StateCount).Select(k => generatedStates.Count(s => s == k) / (double)generatedStates.Length).ToArray();

        StateMapPlot.Write(Path.Combine(options.Output, $"state-map-{name}.png"), potential, grid, statesOnGrid, states, string.Create(CultureInfo.InvariantCulture, $"Three-hole potential at k_B T = {options.Temperature}: {states.Length} states of {description}"));
        var result = new ModelResult(
            name,
            description,
            report.StateCount,
            states,
            states.Max(s => Math.Abs(s.PopulationError)),
            kl,
            floor,
            bottleneckKl,
            posteriorKl,
            posteriorFloor,
            generatedPopulations,
            states.Select((s, k) => Math.Abs(generatedPopulations[k] - s.BoltzmannPopulation)).Max(),
            generated.GetLength(0),
            reference.GetLength(0),
            floorSample.GetLength(0),
            range,
            report.History.Count,
            report.History.Count(h => h.Phase == TrainingPhase.Spib),
            report.History.Count(h => h.Phase == TrainingPhase.Joint),
            report.StopReason.ToString(),
            report.Elapsed.TotalSeconds,
            stopwatch.Elapsed.TotalSeconds,
            report.Refinements);
        return (result, new FreeEnergyPlot.Row(description, reference, generated, range, kl, floor), statesOnGrid);
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

    /// <summary>The state every model assigns to every grid point, one column per model.</summary>
    private static void WriteStateMapCsv(string path, double[,] points, IReadOnlyDictionary<string, int[]> states)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("x,y," + string.Join(",", states.Keys.Select(k => "state_" + k)));
        for (var i = 0; i < points.GetLength(0); i++)
        {
            var columns = string.Join(",", states.Values.Select(s => s[i].ToString(CultureInfo.InvariantCulture)));
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{points[i, 0]:R},{points[i, 1]:R},{columns}"));
        }
    }
}
