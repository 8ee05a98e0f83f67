namespace DSpib.Systems.Dynamics;

/// <summary>The frames a Langevin simulation recorded, one trajectory per walker.</summary>
public sealed class SimulationResult
{
    internal SimulationResult(IReadOnlyList<double[,]> trajectories, double meanKineticTemperature, long totalSteps, TimeSpan elapsed, IReadOnlyList<double[]>? logWeights = null)
    {
        LogWeights = logWeights;
        Trajectories = trajectories;
        MeanKineticTemperature = meanKineticTemperature;
        TotalSteps = totalSteps;
        Elapsed = elapsed;
    }

    /// <summary>One frames x dimension matrix per walker.</summary>
    public IReadOnlyList<double[,]> Trajectories { get; }

    /// <summary>
    /// Mean of m v_d^2 over recorded frames, walkers and coordinates: the kinetic temperature, which equals k_B T for a
    /// correct underdamped integrator. NaN for overdamped dynamics, which has no velocities.
    /// </summary>
    public double MeanKineticTemperature { get; }

    /// <summary>Integration steps over all walkers, equilibration included.</summary>
    public long TotalSteps { get; }

    /// <summary>
    /// For a biased run, the log unbiasing weight of every recorded frame, one array per walker (<see cref="IBias.LogWeight"/>
    /// at the moment the frame was recorded); <see langword="null"/> for an unbiased run.
    /// </summary>
    public IReadOnlyList<double[]>? LogWeights { get; }

    /// <summary>Wall-clock time of the simulation.</summary>
    public TimeSpan Elapsed { get; }
}
