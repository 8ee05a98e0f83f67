using System.Diagnostics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Dynamics;

/// <summary>
/// Runs independent walkers in parallel and records frames; subclasses supply one walker's integration.
/// </summary>
public abstract class LangevinIntegrator
{
    /// <summary>Creates an integrator with validated settings.</summary>
    /// <param name="options">The settings.</param>
    protected LangevinIntegrator(LangevinOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The settings.</summary>
    public LangevinOptions Options { get; }

    /// <summary>Simulates every walker from its start and records <see cref="LangevinOptions.FramesPerWalker"/> frames each.</summary>
    /// <param name="potential">The potential energy surface.</param>
    /// <param name="starts">One start for all walkers, or one per walker (each with <see cref="IPotential.Dimension"/> coordinates).</param>
    /// <param name="progress">Receives the fraction of frames done (optional).</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    public SimulationResult Run(IPotential potential, IReadOnlyList<double[]> starts, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Simulate(potential, null, starts, progress, cancellationToken);

    /// <summary>
    /// Simulates every walker under the potential plus an external <paramref name="bias"/>, and records with each frame
    /// its log unbiasing weight (<see cref="SimulationResult.LogWeights"/>). The walkers of an <see cref="ILockstepBias"/>
    /// (a bias they share and change, such as metadynamics) run on their own threads in lockstep, so a seeded run is reproducible.
    /// </summary>
    /// <param name="potential">The potential energy surface.</param>
    /// <param name="bias">The bias added to the potential's energy and forces.</param>
    /// <param name="starts">One start for all walkers, or one per walker (each with <see cref="IPotential.Dimension"/> coordinates).</param>
    /// <param name="progress">Receives the fraction of frames done (optional).</param>
    /// <param name="cancellationToken">Checked between frames.</param>
    public SimulationResult Run(IPotential potential, IBias bias, IReadOnlyList<double[]> starts, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bias);
        return Simulate(potential, bias, starts, progress, cancellationToken);
    }

    private SimulationResult Simulate(IPotential potential, IBias? bias, IReadOnlyList<double[]> starts, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(potential);
        ArgumentNullException.ThrowIfNull(starts);
        if (starts.Count != 1 && starts.Count != Options.Walkers)
        {
            throw new ArgumentException($"Give one start for all walkers or one per walker ({Options.Walkers}); got {starts.Count}.", nameof(starts));
        }

        foreach (var start in starts)
        {
            if (start is null || start.Length != potential.Dimension || start.Any(v => !double.IsFinite(v)))
            {
                throw new ArgumentException($"Every start needs {potential.Dimension} finite coordinates.", nameof(starts));
            }
        }

        var stopwatch = Stopwatch.StartNew();
        var trajectories = new double[Options.Walkers][,];
        var kinetic = new double[Options.Walkers];
        var logWeights = bias is null ? null : new double[Options.Walkers][];
        long framesDone = 0;
        var totalFrames = (long)Options.Walkers * Options.FramesPerWalker;
        var reportEvery = Math.Max(1, totalFrames / 100);
        var lockstep = bias as ILockstepBias;
        using var barrier = lockstep is null ? null : new Barrier(Options.Walkers, _ => lockstep.EndFrame());
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        void Walk(int walker)
        {
            var frames = new double[Options.FramesPerWalker, potential.Dimension];
            var start = starts[starts.Count == 1 ? 0 : walker];
            var weights = logWeights is null ? null : logWeights[walker] = new double[Options.FramesPerWalker];
            var forces = new Forces(potential, bias, walker);
            var recorded = 0;
            kinetic[walker] = SimulateWalker(forces, start, new GaussianStream(Options.Seed, walker), frames, () =>
            {
                if (weights is not null)
                {
                    var row = recorded;
                    Span<double> x = stackalloc double[potential.Dimension];
                    for (var d = 0; d < x.Length; d++)
                    {
                        x[d] = frames[row, d];
                    }

                    weights[row] = bias!.LogWeight(walker, x);
                }

                recorded++;
                cancellationToken.ThrowIfCancellationRequested();
                if (barrier is not null && lockstep!.FrameRecorded(walker))
                {
                    barrier.SignalAndWait(failed.Token);
                }

                var done = Interlocked.Increment(ref framesDone);
                if (done % reportEvery == 0)
                {
                    progress?.Report((double)done / totalFrames);
                }
            });
            trajectories[walker] = frames;
        }

        if (barrier is null)
        {
            Parallel.For(0, Options.Walkers, new ParallelOptions { CancellationToken = cancellationToken }, Walk);
        }
        else
        {
            RunInLockstep(Walk, barrier, failed, cancellationToken);
            lockstep!.EndFrame();
        }

        var steps = (long)Options.Walkers * (Options.EquilibrationSteps + ((long)Options.FramesPerWalker * Options.StepsPerFrame));
        return new SimulationResult(trajectories, kinetic.Average(), steps, stopwatch.Elapsed, logWeights);
    }

    /// <summary>
    /// Runs every walker on its own thread (a lockstep bias needs them all running at once: they wait for each other
    /// at the frames where the bias changes). The first failure cancels the others; cancellation is rethrown as such, failures together.
    /// </summary>
    private void RunInLockstep(Action<int> walk, Barrier barrier, CancellationTokenSource failed, CancellationToken cancellationToken)
    {
        var errors = new Exception?[Options.Walkers];
        var threads = Enumerable.Range(0, Options.Walkers).Select(walker => new Thread(() =>
        {
            try
            {
                walk(walker);
            }
            catch (Exception e)
            {
                errors[walker] = e;
                failed.Cancel();
            }
            finally
            {
                // A walker that is done no longer holds the others at the barrier (leaving may end a phase, and run EndFrame).
                try
                {
                    barrier.RemoveParticipant();
                }
                catch (BarrierPostPhaseException e)
                {
                    errors[walker] ??= e;
                    failed.Cancel();
                }
            }
        })
        { IsBackground = true, Name = $"walker {walker}" }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        cancellationToken.ThrowIfCancellationRequested();
        var failures = errors.OfType<Exception>().Where(e => e is not OperationCanceledException).ToArray();
        if (failures.Length > 0)
        {
            throw new AggregateException(failures);
        }
    }

    /// <summary>
    /// Integrates one walker: <see cref="LangevinOptions.EquilibrationSteps"/> steps, then for each frame
    /// <see cref="LangevinOptions.StepsPerFrame"/> steps and a record, calling <paramref name="frameDone"/> after each.
    /// </summary>
    /// <returns>The walker's mean of m v_d^2 over recorded frames (NaN without velocities).</returns>
    private protected abstract double SimulateWalker(Forces forces, double[] start, GaussianStream noise, double[,] frames, Action frameDone);

    /// <summary>The potential's gradient plus the bias's, for one walker.</summary>
    private protected sealed class Forces(IPotential potential, IBias? bias, int walker)
    {
        public int Dimension => potential.Dimension;

        public double EnergyAndGradient(ReadOnlySpan<double> position, Span<double> gradient)
        {
            var energy = potential.EnergyAndGradient(position, gradient);
            return bias is null ? energy : energy + bias.AddEnergyAndGradient(walker, position, gradient);
        }
    }
}
