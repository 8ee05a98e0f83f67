using System.Diagnostics;
using System.Globalization;
using DSpib.Analysis;
using DSpib.Data;
using DSpib.Devices;
using DSpib.Training;

namespace DSpib.Samples.AlanineDipeptide;

/// <summary>
/// The alanine dipeptide temperature-transfer study: train D-SPIB on the training temperatures' descriptors, then at
/// every evaluated temperature compare with that temperature's MD the populations of the conformational basins and the
/// free energies along the learned CV and on (phi, psi), next to two baselines that use the same training data: the
/// nearest training temperature, and MBAR reweighting of the training temperatures' potential energies.
/// </summary>
internal static class AlanineRun
{
    /// <summary>The trained model's file in the output folder.</summary>
    public const string ModelFileName = "model.dspib";

    /// <summary>The methods compared, as keys of <see cref="TemperatureResult.Estimates"/>.</summary>
    public const string Generated = "D-SPIB generated";
    public const string Encoded = "D-SPIB encoded MD";
    public const string Reweighted = "D-SPIB reweighted";
    public const string NearestGenerated = "nearest-T generated";
    public const string NearestMd = "nearest-T MD";
    public const string MbarMethod = "MBAR";

    public static AlanineSummary Execute(AlanineOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Output);
        var total = Stopwatch.StartNew();
        var trainingTemperatures = options.TrainingTemperatures.Order().ToArray();
        var evaluationTemperatures = options.EvaluationTemperatures.Order().ToArray();
        var runs = AlanineData.Read(options.Data, evaluationTemperatures);
        var training = trainingTemperatures.Select(t => runs[t]).ToArray();
        foreach (var run in runs.Values)
        {
            var populations = AlanineData.BasinPopulations(run.Basin);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{run.Temperature,4:0} K: {run.Frames,5} frames{(trainingTemperatures.Contains(run.Temperature) ? ", trained on" : string.Empty)}; MD basins {Format(populations)} ({string.Join(", ", AlanineData.BasinNames)})"));
        }

        using var model = BuildModel(options);
        var trainingSummary = Train(model, options, training, log, cancellationToken);

        // Each model state stands for the basin most of its training frames are in; a model's basin populations are
        // those of its states added up accordingly.
        var trainingStates = training.Select(r => model.PredictStates(r.Descriptors)).ToArray();
        var stateBasins = StateBasins(training.SelectMany(r => r.Basin).ToArray(), trainingStates.SelectMany(s => s).ToArray(), model.StateCount);
        log.WriteLine($"Model states -> basins: {string.Join(", ", stateBasins.Select((b, s) => $"{s} -> {(b >= 0 ? AlanineData.BasinNames[b] : "none")}"))}");

        // MBAR on the training temperatures' potential energies: what the same runs give by reweighting.
        var mbarClock = Stopwatch.StartNew();
        var mbar = Mbar.FromTemperatures(training.Select(r => r.Energy).ToArray(), trainingTemperatures);
        var mbarSeconds = mbarClock.Elapsed.TotalSeconds;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"MBAR on {mbar.SampleCount} frames of {string.Join(", ", trainingTemperatures)} K: {mbar.Iterations} iterations, {mbarSeconds:F2} s"));
        var pooledBasins = training.SelectMany(r => r.Basin).ToArray();
        var pooledPhi = training.SelectMany(r => r.Phi).ToArray();
        var pooledPsi = training.SelectMany(r => r.Psi).ToArray();
        var pooledLatent = FrameRows.Stack(training.Select(r => model.Encode(r.Descriptors)).ToArray());

        // Densities and samples of the collective variable (the encoder means every comparison below encodes frames
        // to); a model without a collective-variable prior falls back to the bottleneck prior.
        var prior = model.CollectiveVariableDiffusion is { IsAvailable: true } means ? means : model.Diffusion!;

        // The model's own reweighting: the training frames weighted by the ratio of the model's latent densities,
        // p_T(z) / sum_k N_k p_{T_k}(z), MBAR's weights with the model's latent density in place of the Boltzmann
        // factor. It needs no energies; it assumes that what z does not describe is distributed alike at every temperature.
        var reweightClock = Stopwatch.StartNew();
        var logDensity = new Dictionary<double, double[]>();
        double[] LogDensityAt(double temperature)
        {
            if (!logDensity.TryGetValue(temperature, out var values))
            {
                cancellationToken.ThrowIfCancellationRequested();
                values = prior.LogDensity(pooledLatent, temperature, options.OdeSteps);
                logDensity[temperature] = values;
            }

            return values;
        }

        var logMixture = new double[pooledLatent.GetLength(0)];
        for (var n = 0; n < logMixture.Length; n++)
        {
            logMixture[n] = LogSumExp(training.Select(r => Math.Log(r.Frames) + LogDensityAt(r.Temperature)[n]).ToArray());
        }

        reweightClock.Stop();

        var latentRange = HistogramRange.Covering(runs.Values.Select(r => model.Encode(r.Descriptors)), margin: 0.05);
        var grid = Enumerable.Range(0, options.ProfilePoints).Select(i => latentRange.XMin + ((latentRange.XMax - latentRange.XMin) * i / (options.ProfilePoints - 1))).ToArray();
        var bandwidth = 0.025 * (latentRange.XMax - latentRange.XMin);

        var generationClock = new Stopwatch();
        var generated = new Dictionary<double, double[,]>();
        double[,] GeneratedAt(double temperature)
        {
            if (!generated.TryGetValue(temperature, out var samples))
            {
                cancellationToken.ThrowIfCancellationRequested();
                generationClock.Start();
                var index = Array.IndexOf(evaluationTemperatures, temperature);
                samples = prior.Sample(options.GeneratedSamples, temperature, seed: options.Seed + 1000 + index, cancellationToken: cancellationToken);
                generationClock.Stop();
                generated[temperature] = samples;
            }

            return samples;
        }

        var results = new SortedDictionary<string, TemperatureResult>(StringComparer.Ordinal);
        foreach (var temperature in evaluationTemperatures)
        {
            cancellationToken.ThrowIfCancellationRequested();
            reweightClock.Start();
            var reweightedWeights = Normalised(LogDensityAt(temperature).Select((l, n) => l - logMixture[n]).ToArray());
            reweightClock.Stop();
            var context = new EvaluationContext(options, model, stateBasins, grid, bandwidth, pooledBasins, pooledPhi, pooledPsi, pooledLatent);
            var nearest = trainingTemperatures.MinBy(t => Math.Abs(t - temperature));
            var result = Evaluate(context, runs[temperature], runs[nearest], GeneratedAt(temperature), GeneratedAt(nearest), mbar.WeightsAtTemperature(temperature), reweightedWeights, trainingTemperatures);
            results[AlanineSummary.Key(temperature)] = result;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {temperature:0} K ({result.Position}): MD C7ax {result.MdBasinPopulations[AlanineData.C7ax]:F3}; |error| generated {result.Estimates[Generated].C7axError:F3}, nearest-T generated {result.Estimates[NearestGenerated].C7axError:F3}, MBAR {result.Estimates[MbarMethod].C7axError:F3}; F(z1) RMSE generated {result.Estimates[Generated].CvRmse:F3}; F(phi, psi) RMSE MBAR {result.Estimates[MbarMethod].AngleRmse:F3}, reweighted {result.Estimates[Reweighted].AngleRmse:F3}"));
        }

        var summary = new AlanineSummary(
            options,
            trainingSummary,
            AlanineData.BasinNames,
            stateBasins,
            results,
            new DataCost(
                training.Sum(r => r.Frames),
                training.Select(r => r.Frames).ToArray(),
                mbar.Iterations,
                mbarSeconds,
                reweightClock.Elapsed.TotalSeconds,
                generationClock.Elapsed.TotalSeconds),
            total.Elapsed.TotalSeconds);
        AlaninePlots.Write(options.Output, summary);
        ResultFiles.WriteJson(Path.Combine(options.Output, "summary.json"), summary);
        File.WriteAllText(Path.Combine(options.Output, "summary.txt"), summary.FormatTable());
        return summary;
    }

    /// <summary>D-SPIB on the 49 descriptors: linear encoder to a 2-D z, decoder 16/16, the library's diffusion prior.</summary>
    internal static DSpibModel BuildModel(AlanineOptions options) =>
        DSpibModel.Create()
            .WithInputDimension(49).WithLatentDimension(2).WithLinearEncoder().WithDecoder(16, 16)
            .WithDiffusionPrior()
            .OnDevice(DeviceBackend.Cpu(options.Threads))
            .WithSeed(options.Seed)
            .Build();

    private static TrainingSummary Train(DSpibModel model, AlanineOptions options, AlanineRunData[] training, TextWriter log, CancellationToken cancellationToken)
    {
        var builder = TrajectorySet.Create();
        foreach (var run in training)
        {
            builder.Add(run.Descriptors, run.Temperature, name: string.Create(CultureInfo.InvariantCulture, $"{run.Temperature:0} K"));
        }

        var data = builder.Build();
        log.WriteLine($"Clustering {data.TotalFrames:N0} training frames into {options.Clusters} initial states (k-means on sin/cos of phi and psi)...");
        var labels = InitialLabels.KMeans(data, options.Clusters, options.Seed, columns: [0, 1, 2, 3]);
        var trainer = options.Training.ToTrainer(options.Seed).Build();
        log.WriteLine($"Training D-SPIB (lag {options.Training.Lag} frames = {20 * options.Training.Lag} ps, beta {options.Training.Beta})...");
        var report = trainer.Fit(model, data, labels, new EpochPrinter(log, "D-SPIB", every: 10), cancellationToken);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {report.StateCount} states after {report.History.Count} epochs ({report.StopReason}) in {report.Elapsed.TotalSeconds:F0} s{EpochPrinter.DescribeFit(report)}"));
        model.Save(Path.Combine(options.Output, ModelFileName));
        return new TrainingSummary(
            report.StateCount,
            report.History.Count,
            report.History.Count(h => h.Phase == TrainingPhase.Spib),
            report.History.Count(h => h.Phase == TrainingPhase.Joint),
            report.StopReason.ToString(),
            report.Elapsed.TotalSeconds,
            report.StatePopulations);
    }

    /// <summary>For each model state, the basin most of its training frames are in (-1 for a state without frames).</summary>
    internal static int[] StateBasins(IReadOnlyList<int> basins, IReadOnlyList<int> states, int stateCount)
    {
        var counts = new int[stateCount, AlanineData.BasinNames.Length];
        for (var n = 0; n < basins.Count; n++)
        {
            counts[states[n], basins[n]]++;
        }

        return Enumerable.Range(0, stateCount)
            .Select(s => Enumerable.Range(0, AlanineData.BasinNames.Length).Any(b => counts[s, b] > 0)
                ? Enumerable.Range(0, AlanineData.BasinNames.Length).MaxBy(b => counts[s, b])
                : -1)
            .ToArray();
    }

    private sealed record EvaluationContext(
        AlanineOptions Options,
        DSpibModel Model,
        int[] StateBasins,
        double[] Grid,
        double Bandwidth,
        int[] PooledBasins,
        double[] PooledPhi,
        double[] PooledPsi,
        double[,] PooledLatent);

    private static TemperatureResult Evaluate(
        EvaluationContext context,
        AlanineRunData md,
        AlanineRunData nearest,
        double[,] generated,
        double[,] nearestGenerated,
        double[] mbarWeights,
        double[] reweightedWeights,
        double[] trainingTemperatures)
    {
        var (options, model, stateBasins) = (context.Options, context.Model, context.StateBasins);
        var stateCount = model.StateCount;
        var cutoff = options.Cutoff;
        double[] BasinsOfStates(double[] statePopulations)
        {
            var result = new double[AlanineData.BasinNames.Length];
            for (var s = 0; s < statePopulations.Length; s++)
            {
                if (stateBasins[s] >= 0)
                {
                    result[stateBasins[s]] += statePopulations[s];
                }
            }

            return result;
        }

        var mdBasins = AlanineData.BasinPopulations(md.Basin);

        // Free energy along z_1: encoded MD at this temperature is the reference.
        var encoded = model.Encode(md.Descriptors);
        var mdCv = Profiles.Kde(Column(encoded, 0), null, context.Grid, context.Bandwidth);
        var half = md.Frames / 2;
        var cvFloor = Profiles.Rmse(Profiles.Kde(Column(encoded, 0)[..half], null, context.Grid, context.Bandwidth), Profiles.Kde(Column(encoded, 0)[half..], null, context.Grid, context.Bandwidth), cutoff);
        var generatedCv = Profiles.Kde(Column(generated, 0), null, context.Grid, context.Bandwidth);
        var nearestCv = Profiles.Kde(Column(nearestGenerated, 0), null, context.Grid, context.Bandwidth);
        var mbarCv = Profiles.Kde(Column(context.PooledLatent, 0), mbarWeights, context.Grid, context.Bandwidth);

        // Free energy on (phi, psi).
        var bins = options.AngleBins;
        var mdAngles = Profiles.AngleSurface(md.Phi, md.Psi, null, bins);
        var angleFloor = Profiles.SurfaceRmse(Profiles.AngleSurface(md.Phi[..half], md.Psi[..half], null, bins), Profiles.AngleSurface(md.Phi[half..], md.Psi[half..], null, bins), cutoff);

        Estimate FromBasins(double[] basinPopulations, double cvRmse, (double Rmse, int Missing) angles, double effective) =>
            new(basinPopulations, Math.Abs(basinPopulations[AlanineData.C7ax] - mdBasins[AlanineData.C7ax]), MaxError(basinPopulations, mdBasins), null, double.NaN, cvRmse, angles.Rmse, angles.Missing, effective);
        var encodedStates = StatePopulations(model.PredictStates(md.Descriptors), stateCount);
        Estimate FromStates(double[] populations, double cvRmse, bool generatedSamples)
        {
            var basins = BasinsOfStates(populations);
            var versusEncoded = generatedSamples ? MaxError(populations, encodedStates) : double.NaN;
            return new Estimate(basins, Math.Abs(basins[AlanineData.C7ax] - mdBasins[AlanineData.C7ax]), MaxError(basins, mdBasins), populations, versusEncoded, cvRmse, double.NaN, 0, 0);
        }

        var estimates = new SortedDictionary<string, Estimate>(StringComparer.Ordinal)
        {
            [Generated] = FromStates(StatePopulations(model.PredictStatesOfLatent(generated), stateCount), Profiles.Rmse(generatedCv, mdCv, cutoff), true) with { EffectiveSamples = generated.GetLength(0) },
            [Encoded] = FromStates(encodedStates, 0, false) with { EffectiveSamples = md.Frames },
            [NearestGenerated] = FromStates(StatePopulations(model.PredictStatesOfLatent(nearestGenerated), stateCount), Profiles.Rmse(nearestCv, mdCv, cutoff), true) with { EffectiveSamples = nearestGenerated.GetLength(0) },
            [NearestMd] = FromBasins(AlanineData.BasinPopulations(nearest.Basin), double.NaN, Profiles.SurfaceRmse(Profiles.AngleSurface(nearest.Phi, nearest.Psi, null, bins), mdAngles, cutoff), nearest.Frames),
            [MbarMethod] = FromBasins(AlanineData.BasinPopulations(context.PooledBasins, mbarWeights), Profiles.Rmse(mbarCv, mdCv, cutoff), Profiles.SurfaceRmse(Profiles.AngleSurface(context.PooledPhi, context.PooledPsi, mbarWeights, bins), mdAngles, cutoff), Mbar.EffectiveSampleSize(mbarWeights)),
            [Reweighted] = FromBasins(AlanineData.BasinPopulations(context.PooledBasins, reweightedWeights), double.NaN, Profiles.SurfaceRmse(Profiles.AngleSurface(context.PooledPhi, context.PooledPsi, reweightedWeights, bins), mdAngles, cutoff), Mbar.EffectiveSampleSize(reweightedWeights)),
        };

        var (low, high) = (trainingTemperatures[0], trainingTemperatures[^1]);
        var position = trainingTemperatures.Contains(md.Temperature) ? "trained" : md.Temperature > low && md.Temperature < high ? "inside" : "outside";
        return new TemperatureResult(
            md.Temperature,
            position,
            nearest.Temperature,
            md.Frames,
            mdBasins,
            cvFloor,
            angleFloor.Rmse,
            estimates,
            context.Grid,
            mdCv,
            generatedCv,
            nearestCv,
            mbarCv,
            Profiles.AngleSurface(md.Phi, md.Psi, null, bins),
            Profiles.AngleSurface(context.PooledPhi, context.PooledPsi, mbarWeights, bins),
            Profiles.AngleSurface(context.PooledPhi, context.PooledPsi, reweightedWeights, bins),
            Profiles.AngleSurface(nearest.Phi, nearest.Psi, null, bins));
    }

    private static double[] StatePopulations(int[] states, int stateCount)
    {
        var populations = new double[stateCount];
        foreach (var state in states)
        {
            populations[state] += 1.0 / states.Length;
        }

        return populations;
    }

    private static double MaxError(double[] estimate, double[] reference) => estimate.Zip(reference).Max(p => Math.Abs(p.First - p.Second));

    private static double[] Normalised(double[] logWeights)
    {
        var total = LogSumExp(logWeights);
        return logWeights.Select(l => Math.Exp(l - total)).ToArray();
    }

    internal static double LogSumExp(IReadOnlyList<double> values)
    {
        var max = values.Max();
        return double.IsNegativeInfinity(max) ? max : max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }

    private static double[] Column(double[,] values, int column) =>
        Enumerable.Range(0, values.GetLength(0)).Select(n => values[n, column]).ToArray();

    internal static string Format(IEnumerable<double> populations) =>
        string.Join(" / ", populations.Select(p => p.ToString("F3", CultureInfo.InvariantCulture)));
}
