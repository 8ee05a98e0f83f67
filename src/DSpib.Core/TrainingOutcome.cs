using DSpib.Internal;

namespace DSpib;

/// <summary>
/// What training left in a model, kept with it and in its file: why it ended, how far it got, the refinements, the
/// states' populations and where the training data lie in the latent space.
/// </summary>
public sealed record TrainingOutcome
{
    private ValueList<RefinementRecord> _refinements = ValueList<RefinementRecord>.Of([], nameof(Refinements));
    private ValueList<double> _statePopulations = ValueList<double>.Of([], nameof(StatePopulations));
    private ValueList<double> _temperatures = ValueList<double>.Of([], nameof(Temperatures));
    private ValueList<double> _latentMinimum = ValueList<double>.Of([], nameof(LatentMinimum));
    private ValueList<double> _latentMaximum = ValueList<double>.Of([], nameof(LatentMaximum));

    /// <summary>Why training ended.</summary>
    public TrainingStopReason StopReason { get; init; }

    /// <summary>
    /// Whether training ran to its end (converged or reached its epoch cap). A cancelled run leaves a consistent,
    /// usable model whose training is not complete; this is how it can be told from a finished one, also after loading.
    /// </summary>
    public bool IsComplete => StopReason is TrainingStopReason.Converged or TrainingStopReason.EpochLimit;

    /// <summary>Epochs trained, over all phases.</summary>
    public int Epochs { get; init; }

    /// <summary>The label refinements of the run, the final relabel last.</summary>
    public IReadOnlyList<RefinementRecord> Refinements
    {
        get => _refinements;
        init => _refinements = ValueList<RefinementRecord>.Of(value, nameof(Refinements));
    }

    /// <summary>Weighted fraction of the training frames assigned to each state at the end of training.</summary>
    public IReadOnlyList<double> StatePopulations
    {
        get => _statePopulations;
        init => _statePopulations = ValueList<double>.Of(value, nameof(StatePopulations));
    }

    /// <summary>The distinct temperatures (k_B T) of the training data, ascending.</summary>
    public IReadOnlyList<double> Temperatures
    {
        get => _temperatures;
        init => _temperatures = ValueList<double>.Of(value, nameof(Temperatures));
    }

    /// <summary>The smallest latent mean of the training frames in each latent dimension (empty for files that predate it).</summary>
    public IReadOnlyList<double> LatentMinimum
    {
        get => _latentMinimum;
        init => _latentMinimum = ValueList<double>.Of(value, nameof(LatentMinimum));
    }

    /// <summary>The largest latent mean of the training frames in each latent dimension (empty for files that predate it).</summary>
    public IReadOnlyList<double> LatentMaximum
    {
        get => _latentMaximum;
        init => _latentMaximum = ValueList<double>.Of(value, nameof(LatentMaximum));
    }
}
