using DSpib.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// Adam (Kingma and Ba 2015, the same update as <c>torch.optim.Adam</c> without weight decay) over all parameters at
/// once: gradients are gathered into one flat vector, the moment updates are a handful of fused operations on it, and
/// the step is scattered back. SPIB's networks have a dozen tiny parameter tensors, so the per-parameter loop of
/// TorchSharp's optimizer spends most of its time in per-call overhead rather than arithmetic.
/// </summary>
internal sealed class FlatAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly long[] _sizes;
    private readonly Tensor _firstMoment;
    private readonly Tensor _secondMoment;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private long _step;

    public FlatAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0)
        {
            throw new ArgumentException("There are no parameters to optimise.", nameof(parameters));
        }

        _sizes = _parameters.Select(p => p.numel()).ToArray();
        var total = _sizes.Sum();
        var first = _parameters[0];
        _firstMoment = zeros(total, dtype: first.dtype, device: first.device);
        _secondMoment = zeros(total, dtype: first.dtype, device: first.device);
        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
    }

    /// <summary>Number of steps taken.</summary>
    public long StepCount => _step;

    /// <summary>The step size; lowered when training recovers from a diverged step.</summary>
    public double LearningRate { get; set; }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var gradient = parameter.grad;
            gradient?.zero_();
        }
    }

    /// <summary>
    /// Takes one step with the gradients of <paramref name="loss"/>, unless the loss or any gradient is NaN or infinite:
    /// then nothing changes (parameters, moments, step count) and the result is <see langword="false"/>.
    /// </summary>
    /// <remarks>The check is one reduction over the flat gradient the step builds anyway, and one read of a flag.</remarks>
    public bool TryStep(Tensor loss)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var flat = FlatGradient();
        if (!flat.isfinite().all().logical_and(loss.isfinite()).item<bool>())
        {
            return false;
        }

        Apply(flat);
        return true;
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Apply(FlatGradient());
    }

    private Tensor FlatGradient()
    {
        var gradients = new Tensor[_parameters.Length];
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            gradients[i] = gradient is null ? zeros(_sizes[i], dtype: _firstMoment.dtype, device: _firstMoment.device) : gradient.reshape(-1);
        }

        return cat(gradients, 0);
    }

    private void Apply(Tensor flat)
    {
        _step++;
        using var beta1 = _beta1.ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var epsilon = _epsilon.ToScalar();
        _firstMoment.mul_(beta1).add_(flat, alpha: oneMinusBeta1);
        _secondMoment.mul_(beta2).addcmul_(flat, flat, value: oneMinusBeta2);
        var biasCorrection1 = 1 - Math.Pow(_beta1, _step);
        var biasCorrection2 = 1 - Math.Pow(_beta2, _step);
        var denominator = _secondMoment.sqrt().DividedBy(Math.Sqrt(biasCorrection2)).add_(epsilon, TensorArithmetic.One);
        var update = (_firstMoment / denominator).TimesInPlace(LearningRate / biasCorrection1);

        var pieces = update.split(_sizes, 0);
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].sub_(pieces[i].view_as(_parameters[i]));
        }
    }

    /// <summary>The flat first and second moments (in parameter order) and the step count, for checkpoints.</summary>
    public (Tensor FirstMoment, Tensor SecondMoment, long Steps) State => (_firstMoment, _secondMoment, _step);

    /// <summary>Continues from a saved <see cref="State"/> of an optimizer over parameters of the same shapes.</summary>
    public void Restore(Tensor firstMoment, Tensor secondMoment, long steps)
    {
        if (!firstMoment.shape.SequenceEqual(_firstMoment.shape) || !secondMoment.shape.SequenceEqual(_secondMoment.shape))
        {
            throw new ArgumentException($"The saved moments have {firstMoment.numel()} and {secondMoment.numel()} values but the parameters {_firstMoment.numel()}.", nameof(firstMoment));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        using var noGrad = no_grad();
        _firstMoment.copy_(firstMoment);
        _secondMoment.copy_(secondMoment);
        _step = steps;
    }

    public void Dispose()
    {
        _firstMoment.Dispose();
        _secondMoment.Dispose();
    }
}
