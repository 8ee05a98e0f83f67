using DSpib.Internal;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// The trainable state at the start of an epoch (every parameter of the network, the optimizer's moments and the score
/// average), to return to when a step of the epoch diverges.
/// </summary>
/// <remarks>Taken at every epoch start: a flat copy of a few thousand to a few hundred thousand numbers.</remarks>
internal sealed class EpochSnapshot : IDisposable
{
    private readonly FlatParameters _parameters;
    private readonly Tensor _values;
    private readonly Tensor _firstMoment;
    private readonly Tensor _secondMoment;
    private readonly long _steps;
    private readonly Tensor? _average;
    private readonly long _averageUpdates;

    public EpochSnapshot(ModelNetwork network, FlatAdam optimizer, ParameterAverage? average)
    {
        // Its own scope: the temporaries die here, every epoch, not with the training call.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _parameters = new FlatParameters(network.Parameters().Concat(network.Diffusion?.parameters() ?? []));
        _values = NativeLifetime.Own(_parameters.Values());
        var (first, second, steps) = optimizer.SaveState();
        _firstMoment = NativeLifetime.Own(first);
        _secondMoment = NativeLifetime.Own(second);
        _steps = steps;
        _average = average is null ? null : NativeLifetime.Own(average.Average.clone());
        _averageUpdates = average?.Updates ?? 0;
    }

    /// <summary>Puts the network, <paramref name="optimizer"/> and <paramref name="average"/> back as they were.</summary>
    public void Restore(FlatAdam optimizer, ParameterAverage? average)
    {
        _parameters.Assign(_values);
        optimizer.Restore(_firstMoment, _secondMoment, _steps);
        if (average is not null && _average is not null)
        {
            average.Restore(_average, _averageUpdates);
        }
    }

    public void Dispose()
    {
        _values.Dispose();
        _firstMoment.Dispose();
        _secondMoment.Dispose();
        _average?.Dispose();
    }
}
