using System.Diagnostics;
using DSpib.Data;
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

    public static EnhancedSummary Execute(EnhancedOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var potential = new ThreeHolePotential();
        var grid = BoltzmannGrid.Create(potential, options.Temperature, nx: 250, ny: 250);
        var points = grid.Points();
        var boltzmann = grid.Weights();
        var exact = grid.Populations(Enumerable.Range(0, grid.Count).Select(i => (int)ThreeHolePotential.ClassifyWell(points[i, 0], points[i, 1])).ToArray(), 3);
        log.WriteLine($"Exact populations at k_B T = {options.Temperature}: left {exact[0]:F3}, right {exact[1]:F3}, upper {exact[2]:F3}");
        var results = new List<SeedResult>();
        foreach (var seed in options.Seeds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(RunSeed(options, seed, potential, points, boltzmann, exact, log, cancellationToken));
        }

        var summary = new EnhancedSummary(options, exact, results);
        Directory.CreateDirectory(options.Output);
        ResultFiles.WriteJson(Path.Combine(options.Output, "summary.json"), summary);
        return summary;
    }

    private static SeedResult RunSeed(EnhancedOptions o, int seed, ThreeHolePotential potential, double[,] points, double[] boltzmann, double[] exact, TextWriter log, CancellationToken cancellationToken)
    {
        var start = new[] { potential.LocalMinima()[0] };
        var langevin = new LangevinOptions { Temperature = o.Temperature, TimeStep = o.TimeStep, Walkers = o.Walkers, StepsPerFrame = o.StepsPerFrame, Seed = seed };

        // The bias loop: unbiased start, then metadynamics rounds along the variable learned from all frames so far.
        var stopwatch = Stopwatch.StartNew();
        var initial = new OverdampedLangevin(langevin with { FramesPerWalker = o.InitialSteps / o.StepsPerFrame }).Run(potential, start, null, cancellationToken);
        var frames = initial.Trajectories.ToList();
        var model = Train(frames, o, seed);
        var starts = LastFrames(initial);
        SimulationResult? last = null;
        CollectiveVariable? lastCv = null;
        (double Min, double Max) lastGrid = default;
        var biasedTransitions = 0;
        for (var round = 1; round <= o.Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            lastCv = model.CollectiveVariable();
            var adapter = new LearnedVariable(lastCv);
            lastGrid = Range(lastCv, potential, points);
            var width = (lastGrid.Max - lastGrid.Min) / 60;
            var metadynamics = new WellTemperedMetadynamics(adapter, new MetadynamicsOptions
            {
                Temperature = o.Temperature, BiasFactor = o.BiasFactor, Height = o.Height * o.Temperature, Width = width, Stride = o.HillStride,
                GridMinimum = lastGrid.Min, GridMaximum = lastGrid.Max, GridBins = 600,
            });

            // Each round continues from where the walkers of the previous run ended, not from the left well again.
            last = new OverdampedLangevin(langevin with { FramesPerWalker = o.StepsOfRound(round) / o.StepsPerFrame, Seed = (seed * 1000) + round })
                .Run(potential, metadynamics, starts, null, cancellationToken);
            starts = LastFrames(last);
            biasedTransitions += Transitions(potential, last.Trajectories);
            frames.AddRange(last.Trajectories);
            log.WriteLine($"seed {seed}, round {round}: {metadynamics.Hills} hills, {Transitions(potential, last.Trajectories)} transitions, left/right overlap along the variable {Overlap(lastCv, points, boltzmann):F3}, mean |grad s| in the wells (L R U) {string.Join(" ", GradientInWells(lastCv, points, boltzmann).Select(g => g.ToString("F2")))}, {Populations(last.Trajectories, Reweighting.Weights(last.LogWeights!)).Select(p => p.ToString("F3")).Aggregate((a, b) => a + " " + b)} (reweighted populations)");
            if (round < o.Rounds)
            {
                model.Dispose();
                model = Train(frames, o, seed + round);
            }
        }

        model.Dispose();
        var seconds = stopwatch.Elapsed.TotalSeconds;

        // The last round's frames, reweighted by their c(t) weights, after its first fraction (the bias's build-up).
        var skip = (int)(o.Discard * (o.FinalSteps / o.StepsPerFrame));
        var biased = last!.Trajectories.Select(t => Tail(t, skip)).ToArray();
        var weights = Reweighting.Weights(last.LogWeights!.Select(w => w[skip..]).ToArray());
        var enhancedPopulations = Populations(biased, weights);
        var enhancedErrors = BlockStandardErrors(biased, weights, 10);
        var overlap = Overlap(lastCv!, points, boltzmann);
        var exactProfile = ExactProfile(lastCv!, points, boltzmann, lastGrid, o.Temperature);
        var enhancedProfile = Profile(lastCv!, biased, weights, lastGrid, o.Temperature);

        // Plain MD with the force evaluations of the whole loop.
        var forceEvaluations = (long)o.Walkers * (o.InitialSteps + ((long)(o.Rounds - 1) * o.RoundSteps) + o.FinalSteps);
        stopwatch.Restart();
        var plain = new OverdampedLangevin(langevin with { FramesPerWalker = (int)(forceEvaluations / o.Walkers / o.StepsPerFrame), Seed = (seed * 1000) + 999 })
            .Run(potential, start, null, cancellationToken);
        var plainSeconds = stopwatch.Elapsed.TotalSeconds;
        var count = plain.Trajectories.Sum(t => t.GetLength(0));
        var uniform = Enumerable.Repeat(1.0 / count, count).ToArray();
        var plainPopulations = Populations(plain.Trajectories, uniform);
        var plainProfile = Profile(lastCv!, plain.Trajectories, uniform, lastGrid, o.Temperature);

        var (enhancedRmse, enhancedCoverage) = Rmse(enhancedProfile, exactProfile, o.Temperature);
        var (plainRmse, plainCoverage) = Rmse(plainProfile, exactProfile, o.Temperature);
        var result = new SeedResult(
            seed,
            forceEvaluations,
            enhancedPopulations,
            enhancedErrors,
            overlap,
            MaxError(enhancedPopulations, exact),
            enhancedRmse,
            enhancedCoverage,
            biasedTransitions,
            seconds,
            plainPopulations,
            MaxError(plainPopulations, exact),
            plainRmse,
            plainCoverage,
            Transitions(potential, plain.Trajectories),
            plainSeconds);
        log.WriteLine($"seed {seed}: metadynamics population error {result.EnhancedPopulationError:F3} (block standard error {enhancedErrors.Max():F3}), F RMSE {result.EnhancedRmse:F2} k_BT; plain MD {result.PlainPopulationError:F3}, {result.PlainRmse:F2} k_BT");
        return result;
    }

    /// <summary>SPIB with a one-dimensional latent space and a smooth (tanh) encoder, whose gradient the bias needs.</summary>
    private static DSpibModel Train(IReadOnlyList<double[,]> trajectories, EnhancedOptions o, int seed)
    {
        var builder = TrajectorySet.Create();
        foreach (var trajectory in trajectories)
        {
            builder.Add(trajectory, o.Temperature);
        }

        var data = builder.Build();
        var labels = InitialLabels.KMeans(data, 20, seed: seed);
        foreach (var (refinements, beta, lag) in new[] { (5, 1e-2, 10), (0, 1e-3, 2), (0, 1e-4, 1) })
        {
            var model = DSpibModel.Create().WithLatentDimension(1).WithMlpEncoder([16, 16], Activation.Tanh).WithDecoder(16, 16)
                .AsSpibBaseline().WithSeed(seed).Build();
            try
            {
                Trainer.Create().WithLag(lag).WithBeta(beta).WithLearningRate(3e-3).WithRefinement(refinements, patience: 3, tolerance: 5e-3)
                    .WithMaxEpochs(o.Epochs).WithSeed(seed).Build().Fit(model, data, labels);
                return model;
            }
            catch (InvalidOperationException) when (beta > 1e-4)
            {
                // The states collapsed into one (frames of one well only, before the first bias, forget their k-means
                // state within the lag): keep the k-means states, with a shorter lag and a smaller beta, which still
                // give a variable that orders the frames in and out of the well.
                model.Dispose();
            }
        }

        throw new InvalidOperationException("Training collapsed to one state at every lag and beta tried.");
    }

    /// <summary>The range of the variable over the region below V_min + 4 (all wells and the barriers between them), widened by a quarter on each side.</summary>
    private static (double Min, double Max) Range(CollectiveVariable cv, ThreeHolePotential potential, double[,] points)
    {
        var values = cv.Evaluate(points);
        var minimum = Enumerable.Range(0, points.GetLength(0)).Min(i => ThreeHolePotential.Energy(points[i, 0], points[i, 1]));
        var inside = Enumerable.Range(0, points.GetLength(0)).Where(i => ThreeHolePotential.Energy(points[i, 0], points[i, 1]) < minimum + 4).Select(i => values[i, 0]).ToArray();
        var (low, high) = (inside.Min(), inside.Max());
        var margin = 0.25 * (high - low);
        return (low - margin, high + margin);
    }

    /// <summary>
    /// How much the left and right wells overlap along the variable: the shared area of their Boltzmann densities of s
    /// (100 bins over the grid's range), relative to the smaller well. 0 when s separates them, 1 when it cannot tell them apart.
    /// </summary>
    private static double Overlap(CollectiveVariable cv, double[,] points, double[] boltzmann)
    {
        var values = cv.Evaluate(points);
        var low = Enumerable.Range(0, boltzmann.Length).Min(i => values[i, 0]);
        var high = Enumerable.Range(0, boltzmann.Length).Max(i => values[i, 0]);
        const int Bins = 100;
        var left = new double[Bins];
        var right = new double[Bins];
        for (var i = 0; i < boltzmann.Length; i++)
        {
            var bin = Math.Min(Bins - 1, (int)((values[i, 0] - low) / (high - low) * Bins));
            switch (ThreeHolePotential.ClassifyWell(points[i, 0], points[i, 1]))
            {
                case ThreeHoleWell.Left:
                    left[bin] += boltzmann[i];
                    break;
                case ThreeHoleWell.Right:
                    right[bin] += boltzmann[i];
                    break;
                default:
                    break;
            }
        }

        return Enumerable.Range(0, Bins).Sum(b => Math.Min(left[b], right[b])) / Math.Min(left.Sum(), right.Sum());
    }

    /// <summary>
    /// The Boltzmann mean of |grad s| in each well: a well where it is small is squeezed into a narrow range of s (the
    /// encoder saturates there), so a bias along s hardly pushes the walkers in it.
    /// </summary>
    private static double[] GradientInWells(CollectiveVariable cv, double[,] points, double[] boltzmann)
    {
        var (_, jacobians) = cv.EvaluateWithJacobian(points);
        var sums = new double[3];
        var masses = new double[3];
        for (var i = 0; i < boltzmann.Length; i++)
        {
            var well = (int)ThreeHolePotential.ClassifyWell(points[i, 0], points[i, 1]);
            sums[well] += boltzmann[i] * Math.Sqrt((jacobians[i, 0, 0] * jacobians[i, 0, 0]) + (jacobians[i, 0, 1] * jacobians[i, 0, 1]));
            masses[well] += boltzmann[i];
        }

        return sums.Zip(masses, (sum, mass) => sum / mass).ToArray();
    }

    /// <summary>
    /// Standard errors of the weighted populations from consecutive blocks of the run (all walkers together): the spread
    /// of the blocks' estimates over the square root of their number.
    /// </summary>
    private static double[] BlockStandardErrors(double[][,] trajectories, double[] weights, int blocks)
    {
        var frames = trajectories[0].GetLength(0);
        var estimates = new List<double[]>();
        for (var block = 0; block < blocks; block++)
        {
            var populations = Populations(trajectories, weights, block * frames / blocks, (block + 1) * frames / blocks);
            var total = populations.Sum();
            estimates.Add(populations.Select(p => p / total).ToArray());
        }

        return Enumerable.Range(0, 3).Select(k =>
        {
            var mean = estimates.Average(e => e[k]);
            return Math.Sqrt(estimates.Sum(e => (e[k] - mean) * (e[k] - mean)) / (blocks - 1) / blocks);
        }).ToArray();
    }

    private static double[] ExactProfile(CollectiveVariable cv, double[,] points, double[] boltzmann, (double Min, double Max) range, double temperature)
    {
        var values = cv.Evaluate(points);
        return Reweighting.FreeEnergyProfile(Enumerable.Range(0, boltzmann.Length).Select(i => values[i, 0]).ToArray(), boltzmann, range.Min, range.Max, ProfileBins, temperature).FreeEnergy;
    }

    private static double[] Profile(CollectiveVariable cv, IReadOnlyList<double[,]> trajectories, double[] weights, (double Min, double Max) range, double temperature)
    {
        var values = trajectories.SelectMany(t => { var s = cv.Evaluate(t); return Enumerable.Range(0, s.GetLength(0)).Select(n => s[n, 0]); }).ToArray();
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
    /// The weight in each well of every walker's frames <paramref name="from"/> (inclusive) to <paramref name="to"/>
    /// (exclusive); <paramref name="weights"/> are the frames of all walkers, walker after walker.
    /// </summary>
    private static double[] Populations(IReadOnlyList<double[,]> trajectories, double[] weights, int from = 0, int to = int.MaxValue)
    {
        var populations = new double[3];
        var n = 0;
        foreach (var t in trajectories)
        {
            for (var f = 0; f < t.GetLength(0); f++, n++)
            {
                if (f >= from && f < to)
                {
                    populations[(int)ThreeHolePotential.ClassifyWell(t[f, 0], t[f, 1])] += weights[n];
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

    /// <summary>Transitions between the wells' cores (within 0.4 of each minimum), summed over walkers.</summary>
    private static int Transitions(ThreeHolePotential potential, IReadOnlyList<double[,]> trajectories)
    {
        var minima = potential.LocalMinima();
        var count = 0;
        foreach (var t in trajectories)
        {
            var current = -1;
            for (var f = 0; f < t.GetLength(0); f++)
            {
                for (var w = 0; w < 3; w++)
                {
                    var dx = t[f, 0] - minima[w][0];
                    var dy = t[f, 1] - minima[w][1];
                    if ((dx * dx) + (dy * dy) < 0.16)
                    {
                        if (current >= 0 && current != w)
                        {
                            count++;
                        }

                        current = w;
                    }
                }
            }
        }

        return count;
    }

    /// <summary>The learned variable as a function of the coordinates: the three-hole descriptors are the coordinates.</summary>
    private sealed class LearnedVariable(CollectiveVariable cv) : ICollectiveVariable
    {
        public int InputDimension => cv.InputDimension;

        public int Dimension => cv.Dimension;

        public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian) => cv.Evaluate(position, value, jacobian);
    }
}
