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
    private readonly long[] _offsets;
    private readonly long[] _counts;
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
        _offsets = new long[_parameters.Length];
        _counts = _parameters.Select(p => p.numel()).ToArray();
        long total = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            _offsets[i] = total;
            total += (_counts[i] + alignment - 1) / alignment * alignment;
        }

        using var noGrad = no_grad();
        _values = zeros(total, dtype: first.dtype, device: first.device);
        _gradients = zeros(total, dtype: first.dtype, device: first.device);
        _firstMoment = zeros(total, dtype: first.dtype, device: first.device);
        _secondMoment = zeros(total, dtype: first.dtype, device: first.device);
        for (var i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            using var values = Segment(_values, i).view(parameter.shape);
            values.copy_(parameter);
            parameter.set_(values);

            // A gradient the optimizer provides is one that backpropagation adds into rather than replaces. One left from
            // earlier training is carried over, as zeroing happens before each step's backward pass anyway.
            using var gradient = Segment(_gradients, i).view(parameter.shape);
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

    /// <summary>
    /// The first and second moments, each one vector of the parameters' values in parameter order without the alignment
    /// padding (the layout checkpoints store), and the step count. The moment vectors are new tensors the caller owns.
    /// </summary>
    public (Tensor FirstMoment, Tensor SecondMoment, long Steps) SaveState()
    {
        using var noGrad = no_grad();
        return (Packed(_firstMoment), Packed(_secondMoment), _step);
    }

    /// <summary>Continues from a <see cref="SaveState"/> of an optimizer over parameters of the same shapes.</summary>
    public void Restore(Tensor firstMoment, Tensor secondMoment, long steps)
    {
        var count = _counts.Sum();
        if (firstMoment.numel() != count || secondMoment.numel() != count || firstMoment.dim() != 1 || secondMoment.dim() != 1)
        {
            throw new ArgumentException($"The saved moments have {firstMoment.numel()} and {secondMoment.numel()} values but the parameters {count}.", nameof(firstMoment));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        using var noGrad = no_grad();
        long at = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var first = Segment(_firstMoment, i);
            using var second = Segment(_secondMoment, i);
            using var savedFirst = firstMoment.narrow(0, at, _counts[i]);
            using var savedSecond = secondMoment.narrow(0, at, _counts[i]);
            first.copy_(savedFirst);
            second.copy_(savedSecond);
            at += _counts[i];
        }

        _step = steps;
    }

    /// <summary>Parameter <paramref name="index"/>'s segment of a flat tensor, without its padding.</summary>
    private Tensor Segment(Tensor flat, int index) => flat.narrow(0, _offsets[index], _counts[index]);

    /// <summary>The segments of a flat tensor one after another, without the padding between them.</summary>
    private Tensor Packed(Tensor flat)
    {
        using var scope = NewDisposeScope();
        return cat(Enumerable.Range(0, _parameters.Length).Select(i => Segment(flat, i)).ToArray(), 0).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        _values.Dispose();
        _gradients.Dispose();
        _firstMoment.Dispose();
        _secondMoment.Dispose();
    }
}
