using DSpib.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// Adam (Kingma and Ba 2015, the same update as <c>torch.optim.Adam</c> without weight decay) over all parameters at
/// once. The optimizer moves every parameter's values into one flat tensor and gives every parameter a gradient that is
/// a view of one flat gradient tensor, so zeroing the gradients, checking them and the whole update are a handful of
/// operations on flat vectors, with no gathering or scattering per parameter. The networks have dozens of small
/// parameter tensors, so a per-parameter loop spends most of its time in per-call overhead rather than arithmetic.
/// </summary>
/// <remarks>
/// Backpropagation accumulates into a gradient that already exists in place, so the views stay the gradients as long
/// as nothing replaces them: code that trains with this optimizer must zero gradients through <see cref="ZeroGrad"/>,
/// never set a parameter's gradient to null, and not move or convert the module (which would replace its parameters)
/// while the optimizer is in use. Parameters replaced by the module itself (a new prior) need a new optimizer, as they
/// did before. The parameters keep their flat storage after the optimizer is disposed.
/// </remarks>
internal sealed class FlatAdam : IDisposable
{
    /// <summary>
    /// Bytes every parameter's segment of the flat tensors is aligned to, as libtorch aligns its own allocations: BLAS
    /// kernels may round differently on data at other alignments, and a trained model must compute what the same
    /// weights compute after they are saved and loaded. The padding between segments has zero gradients and never moves.
    /// </summary>
    private const int Alignment = 64;

    private readonly Parameter[] _parameters;
    private readonly Tensor _values;
    private readonly Tensor _gradients;
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

        if (_parameters.Distinct().Count() != _parameters.Length)
        {
            throw new ArgumentException("A parameter is listed twice; each must be optimised once.", nameof(parameters));
        }

        var first = _parameters[0];
        var alignment = Alignment / first.ElementSize;
        var offsets = new long[_parameters.Length];
        long total = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            offsets[i] = total;
            total += (_parameters[i].numel() + alignment - 1) / alignment * alignment;
        }

        using var noGrad = no_grad();
        _values = zeros(total, dtype: first.dtype, device: first.device);
        _gradients = zeros(total, dtype: first.dtype, device: first.device);
        _firstMoment = zeros(total, dtype: first.dtype, device: first.device);
        _secondMoment = zeros(total, dtype: first.dtype, device: first.device);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var offset = offsets[i];
            var count = parameter.numel();
            using var values = _values.narrow(0, offset, count).view(parameter.shape);
            values.copy_(parameter);
            parameter.set_(values);

            // A gradient the optimizer provides is one that backpropagation adds into rather than replaces. One left from
            // earlier training is carried over, as zeroing happens before each step's backward pass anyway.
            using var gradient = _gradients.narrow(0, offset, count).view(parameter.shape);
            using (var previous = parameter.grad)
            {
                if (previous is not null)
                {
                    gradient.copy_(previous);
                }
            }

            parameter.grad = gradient;
        }

        LearningRate = learningRate;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
    }

    /// <summary>Number of steps taken.</summary>
    public long StepCount => _step;

    /// <summary>The step size; lowered when training recovers from a diverged step.</summary>
    public double LearningRate { get; set; }

    /// <summary>Sets every parameter's gradient to zero, in one operation on the flat gradient.</summary>
    public void ZeroGrad()
    {
        using var noGrad = no_grad();
        _gradients.zero_();
    }

    /// <summary>
    /// Takes one step with the gradients of <paramref name="loss"/>, unless the loss or any gradient is NaN or infinite:
    /// then nothing changes (parameters, moments, step count) and the result is <see langword="false"/>.
    /// </summary>
    /// <remarks>The check is one reduction over the flat gradient and one read of a flag.</remarks>
    public bool TryStep(Tensor loss)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (!_gradients.isfinite().all().logical_and(loss.isfinite()).item<bool>())
        {
            return false;
        }

        Apply();
        return true;
    }

    public void Step()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Apply();
    }

    private void Apply()
    {
        _step++;
        using var beta1 = _beta1.ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var epsilon = _epsilon.ToScalar();
        _firstMoment.mul_(beta1).add_(_gradients, alpha: oneMinusBeta1);
        _secondMoment.mul_(beta2).addcmul_(_gradients, _gradients, value: oneMinusBeta2);
        var biasCorrection1 = 1 - Math.Pow(_beta1, _step);
        var biasCorrection2 = 1 - Math.Pow(_beta2, _step);
        var denominator = _secondMoment.sqrt().DividedBy(Math.Sqrt(biasCorrection2)).add_(epsilon, TensorArithmetic.One);
        using var stepSize = (-LearningRate / biasCorrection1).ToScalar();
        _values.addcdiv_(_firstMoment, denominator, stepSize);
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
        _values.Dispose();
        _gradients.Dispose();
        _firstMoment.Dispose();
        _secondMoment.Dispose();
    }
}
