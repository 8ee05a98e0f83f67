using System.Diagnostics;
using DSpib.Analysis;
using DSpib.Data;
using DSpib.Diffusion;
using DSpib.Networks;
using DSpib.Systems.Analysis;
using DSpib.Systems.Biasing;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;
using DSpib.Training;

namespace DSpib.Samples.EnhancedSampling;

/// <summary>The bias loop for every seed, and plain MD of the same number of force evaluations beside it.</summary>
internal static class EnhancedRun
{
    private const int ProfileBins = 60;

    /// <summary>Grid points of the learned free energy a static bias interpolates.</summary>
    private const int LearnedBiasGrid = 200;

    /// <summary>The largest learned F, in k_B T, a static bias follows: beyond it the model has seen too few frames to know F.</summary>
    private const double LearnedBiasCap = 10;

    public static EnhancedSummary Execute(EnhancedOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        EnhancedSystem system = options.System == EnhancedOptions.Lj7
            ? new Lj7System(options.Temperature, options.ReferenceSteps, cancellationToken)
            : new ThreeHoleSystem(options.Temperature);
        var exact = system.Reference.Populations;
        log.WriteLine($"{system.Description} at k_B T = {options.Temperature}; exact populations ({system.Reference.Description}): {Describe(system, exact)}");
        var results = new List<SeedResult>();
        foreach (var seed in options.Seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(RunSeed(options, seed, system, log, cancellationToken));
        }

        var summary = new EnhancedSummary(options, system.StateNames, exact, system.Reference.StandardErrors, results);
        Directory.CreateDirectory(options.Output);
        ResultFiles.WriteJson(Path.Combine(options.Output, "summary.json"), summary);
        return summary;
    }

    private static SeedResult RunSeed(EnhancedOptions o, int seed, EnhancedSystem system, TextWriter log, CancellationToken cancellationToken)
    {
        var states = system.StateNames.Count;
        var exact = system.Reference.Populations;
        var start = new[] { system.Start };
        var langevin = new LangevinOptions { Temperature = o.Temperature, TimeStep = system.TimeStep, Walkers = o.Walkers, StepsPerFrame = o.StepsPerFrame, Seed = seed };

        // The bias loop: unbiased start, then metadynamics rounds along the variable learned from all frames so far.
        var stopwatch = Stopwatch.StartNew();
        var initial = system.Integrator(langevin with { FramesPerWalker = o.InitialSteps / o.StepsPerFrame }).Run(system.Potential, start, null, cancellationToken);
        var frames = initial.Trajectories.ToList();

        // The unbiased start counts with weight 1 per frame; every biased round's frames carry their reweighting weights.
        var equilibriumWeights = frames.Select(_ => (double[]?)null).ToList();
        var model = Train(system, frames, TrainingWeights(equilibriumWeights, o, withPrior: false), o, seed, withPrior: false);
        var starts = LastFrames(initial);
        SimulationResult? last = null;
        CollectiveVariable? lastCv = null;
        var overlap = double.NaN;
        (double Min, double Max) lastGrid = default;
        FreeEnergyProfile? learned = null;
        var biasedTransitions = 0;
        for (var round = 1; round <= o.Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lastCv = model.CollectiveVariable();
            var variable = system.InCoordinates(lastCv);
            lastGrid = system.Range(lastCv);
            IBias bias;
            Func<string> describeBias;
            if (o.LearnedFinalBias && round == o.Rounds)
            {
                learned = LearnedFreeEnergy(model, lastGrid, o.Temperature);
                (bias, describeBias) = LearnedFreeEnergyBias(learned, variable, o);
            }
            else
            {
                (bias, describeBias) = Metadynamics(variable, lastGrid, o);
            }

            // Each round continues from where the walkers of the previous run ended, not from the first state again.
            last = system.Integrator(langevin with { FramesPerWalker = o.StepsOfRound(round) / o.StepsPerFrame, Seed = (seed * 1000) + round })
                .Run(system.Potential, bias, starts, null, cancellationToken);
            starts = LastFrames(last);
            var roundStates = Classify(system, last.Trajectories);
            var roundTransitions = Transitions(Cores(system, last.Trajectories, roundStates));
            biasedTransitions += roundTransitions;
            frames.AddRange(last.Trajectories);
            equilibriumWeights.AddRange(EquilibriumWeights(last.LogWeights!));
            var reweighted = Populations(roundStates, Reweighting.Weights(last.LogWeights!), states);
            overlap = Overlap(system, lastCv);
            log.WriteLine($"seed {seed}, round {round}: {describeBias()}, {roundTransitions} transitions, {system.StateNames[0]}/{system.StateNames[1]} overlap along the variable {overlap:F3}, mean |grad s| in the states ({string.Join(" ", system.StateNames)}) {string.Join(" ", GradientInStates(system, variable).Select(g => g.ToString("F2")))}, reweighted populations {string.Join(" ", reweighted.Select(p => p.ToString("F3")))}");
            if (round < o.Rounds)
            {
                // The model before a learned-free-energy round also learns the variable's free energy: a diffusion
                // prior on the frames with their equilibrium weights.
                var withPrior = o.LearnedFinalBias && round == o.Rounds - 1;
                model.Dispose();
                model = Train(system, frames, TrainingWeights(equilibriumWeights, o, withPrior), o, seed + round, withPrior);
            }
        }

        model.Dispose();
        var seconds = stopwatch.Elapsed.TotalSeconds;

        // The last round's frames, reweighted by their c(t) weights after its first fraction (the bias's build-up); a
        // static bias builds nothing up, so all its frames count, with the weights exp(U_bias / k_B T).
        var skip = o.LearnedFinalBias ? 0 : (int)(o.Discard * (o.FinalSteps / o.StepsPerFrame));
        var biased = last!.Trajectories.Select(t => Tail(t, skip)).ToArray();
        var biasedStates = Classify(system, biased);
        var weights = Reweighting.Weights(last.LogWeights!.Select(w => w[skip..]).ToArray());
        var enhancedPopulations = Populations(biasedStates, weights, states);
        var enhancedErrors = BlockStandardErrors(biasedStates, weights, states, 10);
        var exactProfile = ExactProfile(system, lastCv!, lastGrid, o.Temperature);
        var enhancedProfile = Profile(system, lastCv!, biased, weights, lastGrid, o.Temperature);

        // Plain MD with the force evaluations of the whole loop.
        var forceEvaluations = (long)o.Walkers * (o.InitialSteps + ((long)(o.Rounds - 1) * o.RoundSteps) + o.FinalSteps);
        stopwatch.Restart();
        var plain = system.Integrator(langevin with { FramesPerWalker = (int)(forceEvaluations / o.Walkers / o.StepsPerFrame), Seed = (seed * 1000) + 999 })
            .Run(system.Potential, start, null, cancellationToken);
        var plainSeconds = stopwatch.Elapsed.TotalSeconds;
        var count = plain.Trajectories.Sum(t => t.GetLength(0));
        var uniform = Enumerable.Repeat(1.0 / count, count).ToArray();
        var plainStates = Classify(system, plain.Trajectories);
        var plainPopulations = Populations(plainStates, uniform, states);
        var plainProfile = Profile(system, lastCv!, plain.Trajectories, uniform, lastGrid, o.Temperature);

        var (enhancedRmse, enhancedCoverage) = Rmse(enhancedProfile, exactProfile, o.Temperature);
        var (plainRmse, plainCoverage) = Rmse(plainProfile, exactProfile, o.Temperature);
        var learnedRmse = learned is null ? double.NaN : Rmse(AtBinCentres(learned, lastGrid, o.Temperature), exactProfile, o.Temperature).Rmse;
        var result = new SeedResult(
            seed,
            forceEvaluations,
            enhancedPopulations,
            enhancedErrors,
            overlap,
            MaxError(enhancedPopulations, exact),
            enhancedRmse,
            enhancedCoverage,
            learnedRmse,
            biasedTransitions,
            seconds,
            plainPopulations,
            MaxError(plainPopulations, exact),
            plainRmse,
            plainCoverage,
            Transitions(Cores(system, plain.Trajectories, plainStates)),
            plainSeconds);
        var learnedNote = learned is null ? "" : $" (the bias's own learned F: RMSE {learnedRmse:F2} k_BT)";
        log.WriteLine($"seed {seed}: {o.MethodName} population error {result.EnhancedPopulationError:F3} (block standard error {enhancedErrors.Max():F3}), F RMSE {result.EnhancedRmse:F2} k_BT{learnedNote}; plain MD {result.PlainPopulationError:F3}, {result.PlainRmse:F2} k_BT");
        return result;
    }

    /// <summary>Well-tempered metadynamics along the variable, on a grid over <paramref name="range"/>.</summary>
    private static (IBias Bias, Func<string> Describe) Metadynamics(ICollectiveVariable variable, (double Min, double Max) range, EnhancedOptions o)
    {
        var metadynamics = new WellTemperedMetadynamics(variable, new MetadynamicsOptions
        {
            Temperature = o.Temperature, BiasFactor = o.BiasFactor, Height = o.Height * o.Temperature, Width = (range.Max - range.Min) / 60, Stride = o.HillStride,
            GridMinimum = range.Min, GridMaximum = range.Max, GridBins = 600,
        });
        return (metadynamics, () => $"{metadynamics.Hills} hills");
    }

    /// <summary>The free energy F(s | T) (k_B T units) the model's collective-variable prior gives on a grid over <paramref name="range"/>.</summary>
    private static FreeEnergyProfile LearnedFreeEnergy(DSpibModel model, (double Min, double Max) range, double temperature)
    {
        var grid = Enumerable.Range(0, LearnedBiasGrid).Select(i => range.Min + ((range.Max - range.Min) * i / (LearnedBiasGrid - 1))).ToArray();
        return model.CollectiveVariableDiffusion!.FreeEnergyProfile(0, temperature, grid);
    }

    /// <summary>
    /// A learned free energy as a static bias: removed with the fraction 1 - 1/gamma (what well-tempered metadynamics
    /// with the same bias factor converges to) and capped at <see cref="LearnedBiasCap"/> k_B T.
    /// </summary>
    private static (IBias Bias, Func<string> Describe) LearnedFreeEnergyBias(FreeEnergyProfile profile, ICollectiveVariable variable, EnhancedOptions o)
    {
        var bias = FreeEnergyBias.FromProfile(variable, profile.Grid, profile.FreeEnergy, new FreeEnergyBiasOptions { Temperature = o.Temperature, Factor = 1 - (1 / o.BiasFactor), Cap = LearnedBiasCap });
        var highest = profile.FreeEnergy.Where(double.IsFinite).Select(f => Math.Min(f, LearnedBiasCap)).Max();
        return (bias, () => $"the learned free energy as a static bias (F over the grid up to {highest:F1} k_B T)");
    }

    /// <summary>
    /// SPIB with a one-dimensional latent space and a smooth (tanh) encoder, whose gradient the bias needs; with
    /// <paramref name="withPrior"/>, D-SPIB with the reference diffusion prior, whose collective-variable prior gives the
    /// variable's free energy.
    /// </summary>
    private static DSpibModel Train(EnhancedSystem system, List<double[,]> trajectories, IReadOnlyList<double[]?> weights, EnhancedOptions o, int seed, bool withPrior)
    {
        var builder = TrajectorySet.Create();
        for (var t = 0; t < trajectories.Count; t++)
        {
            builder.Add(system.Descriptors(trajectories[t]), o.Temperature, weights[t]);
        }

        var data = builder.Build();
        var labels = InitialLabels.KMeans(data, 20, seed: seed);
        foreach (var (refinements, beta, lag) in new[] { (5, 1e-2, 10), (0, 1e-3, 2), (0, 1e-4, 1) })
        {
            var architecture = DSpibModel.Create().WithLatentDimension(1).WithMlpEncoder([16, 16], Activation.Tanh).WithDecoder(16, 16);
            architecture = withPrior
                ? architecture.WithDiffusionPrior(VpSde.Create().Discrete(100, 1e-4, 0.2).Build(), ScoreNet.Create().Reference().Build())
                : architecture.AsSpibBaseline();
            var model = architecture.WithSeed(seed).Build();
            try
            {
                Trainer.Create().WithLag(lag).WithBeta(beta).WithLearningRate(3e-3).WithRefinement(refinements, patience: 3, tolerance: 5e-3)
                    .WithMaxEpochs(o.Epochs).WithSeed(seed).Build().Fit(model, data, labels);
                return model;
            }
            catch (InvalidOperationException) when (beta > 1e-4)
            {
                // The states collapsed into one (frames of one state only, before the first bias, forget their k-means
                // state within the lag): keep the k-means states, with a shorter lag and a smaller beta, which still
                // give a variable that orders the frames in and out of the state.
                model.Dispose();
            }
        }

        throw new InvalidOperationException("Training collapsed to one state at every lag and beta tried.");
    }

    /// <summary>
    /// The frames' training weights: none (every frame 1, the trajectory set's default) with uniform retraining;
    /// otherwise their equilibrium weights, which a model that learns the variable's free energy always needs.
    /// </summary>
    private static IReadOnlyList<double[]?> TrainingWeights(List<double[]?> equilibriumWeights, EnhancedOptions o, bool withPrior) =>
        withPrior || o.Retraining == EnhancedOptions.Reweighted ? equilibriumWeights : equilibriumWeights.Select(_ => (double[]?)null).ToArray();

    /// <summary>
    /// The equilibrium weights of a biased round's frames, one array per walker: their c(t) (or static-bias) weights,
    /// scaled to a mean of 1 over the round, so that every round counts by its number of frames and, within it, every
    /// frame by its equilibrium weight.
    /// </summary>
    private static List<double[]?> EquilibriumWeights(IReadOnlyList<double[]> logWeights)
    {
        var normalised = Reweighting.Weights(logWeights);
        var scale = (double)normalised.Length;
        var offset = 0;
        var walkers = new List<double[]?>();
        foreach (var walker in logWeights)
        {
            walkers.Add(Array.ConvertAll(normalised[offset..(offset + walker.Length)], w => w * scale));
            offset += walker.Length;
        }

        return walkers;
    }

    /// <summary>The state of every frame of every trajectory (the trajectories in parallel: the LJ7 states need a quench per frame).</summary>
    internal static int[][] Classify(EnhancedSystem system, IReadOnlyList<double[,]> trajectories) =>
        ClassifyFrames(trajectories, system.State);

    /// <summary>The core every frame is in (-1 between cores), reusing the states where they are the cores.</summary>
    private static int[][] Cores(EnhancedSystem system, IReadOnlyList<double[,]> trajectories, int[][] states) =>
        system.CoresAreStates ? states : ClassifyFrames(trajectories, system.Core);

    private static int[][] ClassifyFrames(IReadOnlyList<double[,]> trajectories, FrameClassifier classify)
    {
        var states = new int[trajectories.Count][];
        Parallel.For(0, trajectories.Count, t =>
        {
            var frames = trajectories[t];
            var position = new double[frames.GetLength(1)];
            states[t] = new int[frames.GetLength(0)];
            for (var f = 0; f < states[t].Length; f++)
            {
                Buffer.BlockCopy(frames, f * position.Length * sizeof(double), position, 0, position.Length * sizeof(double));
                states[t][f] = classify(position);
            }
        });
        return states;
    }

    /// <summary>
    /// How much the first two states overlap along the variable: the shared area of their reference densities of s
    /// (100 bins over the reference's range), relative to the smaller state. 0 when s separates them, 1 when it
    /// cannot tell them apart.
    /// </summary>
    private static double Overlap(EnhancedSystem system, CollectiveVariable cv)
    {
        var reference = system.Reference;
        var values = cv.Evaluate(reference.Descriptors);
        var count = reference.Weights.Length;
        var low = Enumerable.Range(0, count).Min(i => values[i, 0]);
        var high = Enumerable.Range(0, count).Max(i => values[i, 0]);
        const int Bins = 100;
        var first = new double[Bins];
        var second = new double[Bins];
        for (var i = 0; i < count; i++)
        {
            var bin = Math.Min(Bins - 1, (int)((values[i, 0] - low) / (high - low) * Bins));
            switch (reference.States[i])
            {
                case 0:
                    first[bin] += reference.Weights[i];
                    break;
                case 1:
                    second[bin] += reference.Weights[i];
                    break;
                default:
                    break;
            }
        }

        return Enumerable.Range(0, Bins).Sum(b => Math.Min(first[b], second[b])) / Math.Min(first.Sum(), second.Sum());
    }

    /// <summary>
    /// The equilibrium mean of |grad s| (in the coordinates) in each state: a state where it is small is squeezed into
    /// a narrow range of s (the encoder saturates there), so a bias along s hardly pushes the walkers in it.
    /// </summary>
    private static double[] GradientInStates(EnhancedSystem system, ICollectiveVariable variable)
    {
        var reference = system.Reference;
        var inputs = variable.InputDimension;
        var position = new double[inputs];
        var value = new double[1];
        var jacobian = new double[inputs];
        var sums = new double[system.StateNames.Count];
        var masses = new double[sums.Length];
        for (var i = 0; i < reference.Weights.Length; i++)
        {
            Buffer.BlockCopy(reference.Positions, i * inputs * sizeof(double), position, 0, inputs * sizeof(double));
            variable.Evaluate(position, value, jacobian);
            var state = reference.States[i];
            sums[state] += reference.Weights[i] * Math.Sqrt(jacobian.Sum(g => g * g));
            masses[state] += reference.Weights[i];
        }

        return sums.Zip(masses, (sum, mass) => sum / mass).ToArray();
    }

    /// <summary>
    /// Standard errors of the weighted populations from consecutive blocks of the run (all walkers together): the spread
    /// of the blocks' estimates over the square root of their number.
    /// </summary>
    internal static double[] BlockStandardErrors(int[][] states, double[] weights, int stateCount, int blocks)
    {
        var frames = states[0].Length;
        var estimates = new List<double[]>();
        for (var block = 0; block < blocks; block++)
        {
            var populations = Populations(states, weights, stateCount, block * frames / blocks, (block + 1) * frames / blocks);
            var total = populations.Sum();
            estimates.Add(populations.Select(p => p / total).ToArray());
        }

        return Enumerable.Range(0, stateCount).Select(k =>
        {
            var mean = estimates.Average(e => e[k]);
            return Math.Sqrt(estimates.Sum(e => (e[k] - mean) * (e[k] - mean)) / (blocks - 1) / blocks);
        }).ToArray();
    }

    private static double[] ExactProfile(EnhancedSystem system, CollectiveVariable cv, (double Min, double Max) range, double temperature)
    {
        var values = cv.Evaluate(system.Reference.Descriptors);
        var weights = system.Reference.Weights;
        return Reweighting.FreeEnergyProfile(Enumerable.Range(0, weights.Length).Select(i => values[i, 0]).ToArray(), weights, range.Min, range.Max, ProfileBins, temperature).FreeEnergy;
    }

    /// <summary>A learned profile (in k_B T) at the centres of the profiles' bins, converted to energy units as the other profiles are.</summary>
    private static double[] AtBinCentres(FreeEnergyProfile profile, (double Min, double Max) range, double temperature) =>
        Enumerable.Range(0, ProfileBins).Select(b => temperature * profile.Evaluate(range.Min + ((b + 0.5) * (range.Max - range.Min) / ProfileBins), out _)).ToArray();

    private static double[] Profile(EnhancedSystem system, CollectiveVariable cv, IReadOnlyList<double[,]> trajectories, double[] weights, (double Min, double Max) range, double temperature)
    {
        var values = trajectories.SelectMany(t => { var s = cv.Evaluate(system.Descriptors(t)); return Enumerable.Range(0, s.GetLength(0)).Select(n => s[n, 0]); }).ToArray();
        return Reweighting.FreeEnergyProfile(values, weights, range.Min, range.Max, ProfileBins, temperature).FreeEnergy;
    }

    /// <summary>
    /// RMSE (in k_B T) against the exact profile over the bins where the exact F is below 5 k_B T, after the constant
    /// shift that minimises it; an unvisited bin counts as an error of 5 k_B T. Also the fraction of those bins visited.
    /// </summary>
    private static (double Rmse, double Coverage) Rmse(double[] estimate, double[] exact, double temperature)
    {
        var bins = Enumerable.Range(0, exact.Length).Where(b => exact[b] < 5 * temperature).ToArray();
        var visited = bins.Where(b => double.IsFinite(estimate[b])).ToArray();
        if (visited.Length == 0)
        {
            return (5, 0);
        }

        var shift = visited.Average(b => estimate[b] - exact[b]);
        var squares = bins.Sum(b => double.IsFinite(estimate[b]) ? Math.Pow((estimate[b] - shift - exact[b]) / temperature, 2) : 25);
        return (Math.Sqrt(squares / bins.Length), (double)visited.Length / bins.Length);
    }

    /// <summary>
    /// The weight in each state of every walker's frames <paramref name="from"/> (inclusive) to <paramref name="to"/>
    /// (exclusive); <paramref name="weights"/> are the frames of all walkers, walker after walker.
    /// </summary>
    internal static double[] Populations(int[][] states, double[] weights, int stateCount, int from = 0, int to = int.MaxValue)
    {
        var populations = new double[stateCount];
        var n = 0;
        foreach (var walker in states)
        {
            for (var f = 0; f < walker.Length; f++, n++)
            {
                if (f >= from && f < to)
                {
                    populations[walker[f]] += weights[n];
                }
            }
        }

        return populations;
    }

    private static double[][] LastFrames(SimulationResult run) =>
        run.Trajectories.Select(t => Enumerable.Range(0, t.GetLength(1)).Select(d => t[t.GetLength(0) - 1, d]).ToArray()).ToArray();

    private static double[,] Tail(double[,] frames, int skip)
    {
        var tail = new double[frames.GetLength(0) - skip, frames.GetLength(1)];
        Array.Copy(frames, skip * frames.GetLength(1), tail, 0, tail.Length);
        return tail;
    }

    private static double MaxError(double[] estimate, double[] exact) => estimate.Zip(exact, (a, b) => Math.Abs(a - b)).Max();

    private static string Describe(EnhancedSystem system, double[] populations) =>
        string.Join(", ", system.StateNames.Zip(populations, (name, p) => $"{name} {p:F3}"));

    /// <summary>Transitions between the states' cores (changes of core, ignoring frames between cores), summed over walkers.</summary>
    private static int Transitions(int[][] cores)
    {
        var count = 0;
        foreach (var walker in cores)
        {
            var current = -1;
            foreach (var core in walker)
            {
                if (core >= 0)
                {
                    if (current >= 0 && current != core)
                    {
                        count++;
                    }

                    current = core;
                }
            }
        }

        return count;
    }

    /// <summary>A state or core of one frame's coordinates.</summary>
    private delegate int FrameClassifier(ReadOnlySpan<double> position);
}
