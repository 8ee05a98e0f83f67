using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// An exponential moving average of parameters over optimisation steps, kept as one flat vector:
/// a = d a + (1 - d) p after every step, with d = min(decay, (1 + n) / (10 + n)) at step n so that the starting
/// weights are forgotten quickly in short runs. Score networks are evaluated with averaged weights because the
/// denoising loss is noisy: the last iterate's score wanders from step to step, and exact free energies, which
/// integrate the score, inherit that wander.
/// </summary>
internal sealed class ParameterAverage : IDisposable
{
    private readonly FlatParameters _parameters;
    private readonly Tensor _average;
    private long _updates;

    public ParameterAverage(IEnumerable<Parameter> parameters, double decay)
    {
        if (!(decay > 0 && decay < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "The averaging decay must be in (0, 1); 0.999 is usual.");
        }

        _parameters = new FlatParameters(parameters);
        Decay = decay;
        _average = _parameters.Values().DetachFromDisposeScope();
    }

    public double Decay { get; }

    /// <summary>Number of updates so far.</summary>
    public long Updates => _updates;

    /// <summary>The averaged values as one flat vector (a view; copy it to keep it).</summary>
    public Tensor Average => _average;

    /// <summary>Folds the parameters' current values into the average.</summary>
    public void Update()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var decay = Math.Min(Decay, (1.0 + _updates) / (10.0 + _updates));
        _updates++;
        _average.lerp_(_parameters.Values(), 1 - decay);
    }

    /// <summary>Overwrites the parameters with their average.</summary>
    public void CopyToParameters() => _parameters.Assign(_average);

    /// <summary>Restores an average saved from <see cref="Average"/> after <paramref name="updates"/> updates.</summary>
    public void Restore(Tensor average, long updates)
    {
        using var noGrad = no_grad();
        _average.copy_(average);
        _updates = updates;
    }

    public void Dispose() => _average.Dispose();
}
