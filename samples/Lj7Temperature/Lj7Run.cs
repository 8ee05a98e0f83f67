using System.Diagnostics;
using System.Globalization;
using DSpib.Analysis;
using DSpib.Data;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Systems.Datasets;
using DSpib.Training;

namespace DSpib.Samples.Lj7Temperature;

/// <summary>
/// The LJ7 temperature-transfer study: simulate every temperature, train D-SPIB on the training temperatures only,
/// then compare generated and exact free energies with the encoded MD frames at every temperature.
/// </summary>
internal static class Lj7Run
{
    /// <summary>The trained model's file in the output folder.</summary>
    public const string ModelFileName = "model.dspib";

    public static Lj7Summary Execute(Lj7Options options, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Output);
        var stopwatch = Stopwatch.StartNew();
        var simulations = new Dictionary<double, Lj7Dataset>();
        foreach (var (temperature, index) in options.EvaluationTemperatures.Select((t, i) => (t, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var data = Lj7Dataset.Simulate(temperature, options.Walkers, options.FramesPerWalker, options.StepsPerFrame, options.EquilibrationSteps, options.Seed + index, cancellationToken: cancellationToken);
            simulations[temperature] = data;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Simulated LJ7 at k_B T = {temperature}: {data.TotalFrames:N0} frames in {data.Simulation.Elapsed.TotalSeconds:F1} s, kinetic temperature {data.Simulation.MeanKineticTemperature:F4}"));
        }

        var simulationSeconds = stopwatch.Elapsed.TotalSeconds;
        var (model, training) = options.Model.Length > 0 ? LoadModel(options, log) : Train(options, simulations, log, cancellationToken);
        using var disposeModel = model;

        var evaluation = Stopwatch.StartNew();
        var encoded = simulations.ToDictionary(p => p.Key, p => p.Value.Coordination.Select(model.Encode).ToArray());
        var all = encoded.Values.SelectMany(e => e).ToArray();
        var range = HistogramRange.Covering(all, margin: 0.05);
        var grid = Enumerable.Range(0, options.ProfilePoints).Select(i => range.XMin + ((range.XMax - range.XMin) * i / (options.ProfilePoints - 1))).ToArray();
        var marginal = Enumerable.Range(0, options.MarginalPoints).Select(i => range.YMin + ((range.YMax - range.YMin) * i / (options.MarginalPoints - 1))).ToArray();
        var results = new SortedDictionary<string, TemperatureResult>(StringComparer.Ordinal);
        foreach (var (temperature, index) in options.EvaluationTemperatures.Select((t, i) => (t, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var nearest = options.TrainingTemperatures.MinBy(t => Math.Abs(t - temperature));
            var result = Evaluate(model, options, temperature, nearest, encoded[temperature], encoded[nearest], simulations[temperature], grid, marginal, range, options.Seed + 1000 + index);
            results[Lj7Summary.Key(temperature)] = result;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  k_B T = {temperature}: F RMSE {result.FreeEnergyRmse:F3} (floor {result.FreeEnergyRmseFloor:F3}; nearest-temperature baselines: model {result.NearestModelRmse:F3}, MD {result.NearestMdRmse:F3}), KL {result.SymmetrizedKl:F3} (floor {result.KlFloor:F3}), exact vs sampled {result.ExactVersusSampledRmse:F3}; bottleneck prior vs means {result.BottleneckRmse:F3}, vs posterior draws {result.BottleneckPosteriorRmse:F3}; largest population error {result.LargestPopulationError:F3}"));
        }

        var (low, high) = (options.TrainingTemperatures.Min(), options.TrainingTemperatures.Max());
        double MeanRmse(Func<double, bool> which) =>
            options.EvaluationTemperatures.Where(t => !options.TrainingTemperatures.Contains(t) && which(t)).Select(t => results[Lj7Summary.Key(t)].FreeEnergyRmse).DefaultIfEmpty(double.NaN).Average();

        var summary = new Lj7Summary(
            options,
            training,
            results,
            MeanRmse(t => t > low && t < high),
            MeanRmse(t => t < low || t > high),
            simulationSeconds,
            evaluation.Elapsed.TotalSeconds);

        ProfilePlot.Write(Path.Combine(options.Output, "free-energy-profiles.png"), summary, exact: false);
        ProfilePlot.Write(Path.Combine(options.Output, "exact-free-energy-profiles.png"), summary, exact: true);
        ResultFiles.WriteJson(Path.Combine(options.Output, "summary.json"), summary);
        return summary;
    }

    /// <summary>Clusters the training temperatures' frames into initial states, trains D-SPIB on them and saves it.</summary>
    private static (DSpibModel Model, TrainingSummary Training) Train(Lj7Options options, Dictionary<double, Lj7Dataset> simulations, TextWriter log, CancellationToken cancellationToken)
    {
        var training = options.TrainingTemperatures.Select(t => simulations[t]).ToArray();
        var descriptors = Collect(training, d => d.Coordination);
        var orderParameters = Collect(training, d => d.Moments);
        log.WriteLine($"Clustering {orderParameters.TotalFrames:N0} training frames into {options.Clusters} initial states (k-means on mu2, mu3)...");
        var labels = InitialLabels.KMeans(orderParameters, options.Clusters, options.Seed);

        var backend = SampleDevice.Cpu(options.Threads, options.Products, log);
        var model = BuildModel(options, backend);
        log.WriteLine(SampleDevice.Describe(backend));
        try
        {
            var trainer = options.Training.ToTrainer(options.Seed, options.Weighting == "likelihood" ? DiffusionWeighting.Likelihood : DiffusionWeighting.Unweighted).Build();
            log.WriteLine($"Training D-SPIB on {descriptors.TotalFrames:N0} frames (lag {options.Training.Lag}, beta {options.Training.Beta}, law {options.Law}, embedding {options.Embedding}, weighting {options.Weighting})...");
            var report = trainer.Fit(model, descriptors, labels, new EpochPrinter(log, "D-SPIB", every: 10), cancellationToken);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {report.StateCount} states after {report.History.Count} epochs ({report.StopReason}) in {report.Elapsed.TotalSeconds:F0} s{EpochPrinter.DescribeFit(report)}"));

            // The trained model is kept beside the results, so that they can be examined again (--model) without training.
            model.Save(Path.Combine(options.Output, ModelFileName));
            return (model, new TrainingSummary(
                report.StateCount,
                report.History.Count,
                report.History.Count(h => h.Phase == TrainingPhase.Spib),
                report.History.Count(h => h.Phase == TrainingPhase.Joint),
                report.StopReason.ToString(),
                report.Elapsed.TotalSeconds,
                report.StatePopulations,
                report.Refinements));
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A model saved by an earlier run; its training is described by what the file keeps (no epochs run here).</summary>
    private static (DSpibModel Model, TrainingSummary Training) LoadModel(Lj7Options options, TextWriter log)
    {
        var backend = SampleDevice.Cpu(options.Threads, options.Products, log);
        var model = DSpibModel.Load(options.Model, backend);
        log.WriteLine(SampleDevice.Describe(backend));
        log.WriteLine($"Evaluating the saved model {options.Model} ({model.StateCount} states); no training.");
        return (model, new TrainingSummary(model.StateCount, 0, 0, 0, "Loaded", 0, model.Training!.StatePopulations, model.Training!.Refinements));
    }

    /// <summary>
    /// D-SPIB with the reference shapes (7 sorted coordination numbers -> linear encoder -> 2-D z, decoder 16/16, DDPM
    /// with 100 steps, reference score network), with the temperature law, embedding and weighting of the options.
    /// </summary>
    internal static DSpibModel BuildModel(Lj7Options options, CpuBackend backend)
    {
        var law = options.Law == "sqrt" ? TemperatureLaw.SquareRoot : TemperatureLaw.Linear;
        var embedding = options.Embedding == "smooth" ? TemperatureEmbedding.Smooth() : TemperatureEmbedding.Reference();
        return DSpibModel.Create()
            .WithInputDimension(7).WithLatentDimension(2).WithLinearEncoder().WithDecoder(16, 16)
            .WithDiffusionPrior(
                VpSde.Create().Discrete(100, 1e-4, 0.2).WithTemperatureLaw(law).Build(),
                ScoreNet.Create().Reference().WithTemperatureEmbedding(embedding).Build())
            .OnDevice(backend)
            .WithSeed(options.Seed)
            .Build();
    }

    /// <summary>
    /// The comparison at one temperature, in the collective variable (the encoder means): the collective-variable
    /// prior's samples and exact free energy against the encoded MD frames, next to the nearest-temperature baselines
    /// and the two-halves floor; and the bottleneck prior against the means and against posterior draws (means plus
    /// encoder noise), its own variable. A model without a collective-variable prior is scored with its bottleneck
    /// prior throughout.
    /// </summary>
    private static TemperatureResult Evaluate(DSpibModel model, Lj7Options options, double temperature, double nearest, double[][,] encodedWalkers, double[][,] nearestWalkers, Lj7Dataset simulation, double[] grid, double[] marginal, HistogramRange range, int seed)
    {
        var prior = model.CollectiveVariableDiffusion is { IsAvailable: true } means ? means : model.Diffusion!;
        var md = FrameRows.Stack(encodedWalkers);
        var generated = prior.Sample(options.GeneratedSamples, temperature, seed: seed);
        var (min, max) = (grid[0], grid[^1]);
        FreeEnergyProfile Profile(double[,] points) => FreeEnergyProfile.FromKde(Column(points, 0), options.Bandwidth, grid.Length, min, max);
        var mdProfile = Profile(md);
        var generatedProfile = Profile(generated);

        // What a user would do without temperature transfer: take the model's samples, or the MD, at the nearest
        // training temperature.
        var nearestModelRmse = Profile(prior.Sample(options.GeneratedSamples, nearest, seed: seed + 100)).Rmse(mdProfile);
        var nearestMdRmse = Profile(FrameRows.Stack(nearestWalkers)).Rmse(mdProfile);

        // The bottleneck prior, against the means and against one posterior draw per MD frame.
        var bottleneck = model.Diffusion!.Sample(options.GeneratedSamples, temperature, seed: seed + 200);
        var posteriorDraws = FrameRows.Stack(simulation.Coordination.Select((walker, i) => model.SamplePosterior(walker, seed + 300 + i)).ToArray());
        var bottleneckRmse = Profile(bottleneck).Rmse(mdProfile);
        var bottleneckPosteriorRmse = Profile(bottleneck).Rmse(Profile(posteriorDraws));

        // State populations: the decoder's state of each generated sample against that of each MD frame.
        var mdPopulations = Populations(model.PredictStatesOfLatent(md), model.StateCount);
        var generatedPopulations = Populations(model.PredictStatesOfLatent(generated), model.StateCount);

        // The floor of the KL: the first half of the walkers against as many frames of the second half as there are
        // generated samples, on the same grid as the model's score.
        var half = encodedWalkers.Length / 2;
        var firstHalf = FrameRows.Stack(encodedWalkers[..half]);
        var secondHalf = FrameRows.Stack(encodedWalkers[half..]);
        var floorSample = FrameRows.EvenlySpaced(secondHalf, options.GeneratedSamples);
        var rmseFloor = Profile(floorSample).Rmse(Profile(firstHalf));
        // The grid covers the MD with a 5 % margin; generated samples beyond it count in the edge bins, as they always
        // have in this study's figures.
        var kl = HistogramDivergence.SymmetrizedKl(generated, firstHalf, bins: 100, range: range, clampToRange: true);
        var floor = HistogramDivergence.SymmetrizedKl(floorSample, firstHalf, bins: 100, range: range, clampToRange: true);

        var exact = prior.FreeEnergyProfile(0, temperature, grid, marginal, options.OdeSteps);
        var smoothedExact = exact.Smoothed(options.Bandwidth);

        // The exact density is that of the probability-flow ODE's samples, not the ancestral sampler's: the two
        // processes agree only as far as the learned score is a true score. Samples of the ODE itself check the exact
        // computation; the generated (ancestral) profile measures the gap between the processes.
        var flowSamples = prior.Sample(options.GeneratedSamples, temperature, SamplerOptions.ProbabilityFlow(options.OdeSteps), seed + 500);
        var flowProfile = FreeEnergyProfile.FromKde(Column(flowSamples, 0), options.Bandwidth, grid.Length, min, max);
        return new TemperatureResult(
            options.TrainingTemperatures.Contains(temperature),
            simulation.Simulation.MeanKineticTemperature,
            prior.Variable.ToString(),
            generatedProfile.Rmse(mdProfile),
            rmseFloor,
            nearest,
            nearestModelRmse,
            nearestMdRmse,
            bottleneckRmse,
            bottleneckPosteriorRmse,
            mdPopulations,
            generatedPopulations,
            mdPopulations.Zip(generatedPopulations, (a, b) => Math.Abs(a - b)).Max(),
            kl,
            floor,
            smoothedExact.Rmse(generatedProfile),
            smoothedExact.Rmse(flowProfile),
            smoothedExact.Rmse(mdProfile),
            grid,
            mdProfile.FreeEnergy.ToArray(),
            generatedProfile.FreeEnergy.ToArray(),
            exact.FreeEnergy.ToArray());
    }

    private static TrajectorySet Collect(IEnumerable<Lj7Dataset> sets, Func<Lj7Dataset, IReadOnlyList<double[,]>> select)
    {
        var builder = TrajectorySet.Create();
        foreach (var set in sets)
        {
            foreach (var (walker, index) in select(set).Select((w, i) => (w, i)))
            {
                builder.Add(walker, set.Temperature, name: string.Create(CultureInfo.InvariantCulture, $"T {set.Temperature} walker {index}"));
            }
        }

        return builder.Build();
    }

    private static double[] Populations(int[] states, int stateCount) =>
        Enumerable.Range(0, stateCount).Select(k => states.Count(s => s == k) / (double)states.Length).ToArray();

    private static double[] Column(double[,] values, int column) =>
        Enumerable.Range(0, values.GetLength(0)).Select(n => values[n, column]).ToArray();
}
