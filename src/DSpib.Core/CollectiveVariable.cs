using DSpib.Data;
using DSpib.Networks;

namespace DSpib;

/// <summary>
/// The learned collective variable z = mu(X) of a trained model and its Jacobian dz/dX with respect to the raw
/// (unstandardised) descriptors, for biasing a simulation along it. Obtain one with
/// <see cref="DSpibModel.CollectiveVariable"/>.
/// </summary>
/// <remarks>
/// <para>
/// It is a snapshot: the standardiser and the weights of the encoder's mean, copied to float64 when it was made, and
/// evaluated in managed code in float64 (the forward pass, then one backward pass per latent dimension through the
/// layers, the standardiser's 1/scale included). It does not touch libtorch, so it keeps working after the model is
/// retrained or disposed, and costs no native call per frame. Its values equal <see cref="DSpibModel.Encode(double[,])"/>
/// up to the model's precision (float32 by default: about 1e-6 relative).
/// </para>
/// <para>
/// Thread-safe without locks: the weights are immutable and every thread evaluates in scratch buffers of its own
/// (allocated on a thread's first call and reused), so concurrent callers get exactly the results of serial calls.
/// </para>
/// </remarks>
public sealed class CollectiveVariable
{
    [ThreadStatic]
    private static double[]? t_scratch;

    private readonly double[][] _weights;   // per layer, row-major [outputs, inputs]
    private readonly double[][] _biases;
    private readonly int[] _widths;         // input width, then each layer's output width
    private readonly double[] _mean;
    private readonly double[] _inverseScale;
    private readonly Activation _activation;
    private readonly int _scratchLength;
    private readonly int _hiddenTotal;
    private readonly int _maxWidth;

    internal CollectiveVariable(IReadOnlyList<(double[,] Weight, double[] Bias)> layers, Standardizer standardizer, Activation activation)
    {
        _activation = activation;
        _mean = standardizer.Mean.ToArray();
        _inverseScale = standardizer.Scale.Select(s => 1 / s).ToArray();
        _widths = new int[layers.Count + 1];
        _widths[0] = _mean.Length;
        _weights = new double[layers.Count][];
        _biases = new double[layers.Count][];
        for (var l = 0; l < layers.Count; l++)
        {
            var (weight, bias) = layers[l];
            _widths[l + 1] = weight.GetLength(0);
            _weights[l] = new double[weight.Length];
            Buffer.BlockCopy(weight, 0, _weights[l], 0, weight.Length * sizeof(double));
            _biases[l] = (double[])bias.Clone();
        }

        _maxWidth = _widths.Max();
        _hiddenTotal = 0;
        for (var l = 1; l < _widths.Length - 1; l++)
        {
            _hiddenTotal += _widths[l];
        }

        // Hidden activations and their derivatives, then two vectors of the widest layer for the passes.
        _scratchLength = (2 * _hiddenTotal) + (2 * _maxWidth);
    }

    /// <summary>Descriptors per frame (the model's input dimension).</summary>
    public int InputDimension => _widths[0];

    /// <summary>Latent dimensions (the collective variable's dimension).</summary>
    public int Dimension => _widths[^1];

    /// <summary>z = mu(X) of one frame.</summary>
    /// <param name="descriptors"><see cref="InputDimension"/> raw descriptors.</param>
    /// <param name="value">Receives <see cref="Dimension"/> values.</param>
    public void Evaluate(ReadOnlySpan<double> descriptors, Span<double> value) => Evaluate(descriptors, value, []);

    /// <summary>z = mu(X) of one frame and its Jacobian dz_k / dX_i. Allocates nothing after a thread's first call.</summary>
    /// <param name="descriptors"><see cref="InputDimension"/> raw descriptors.</param>
    /// <param name="value">Receives <see cref="Dimension"/> values.</param>
    /// <param name="jacobian">Receives <see cref="Dimension"/> x <see cref="InputDimension"/> derivatives, row-major
    /// (row k is the gradient of z_k); pass an empty span to skip the Jacobian.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public void Evaluate(ReadOnlySpan<double> descriptors, Span<double> value, Span<double> jacobian)
    {
        if (descriptors.Length != InputDimension)
        {
            throw new ArgumentException($"The collective variable takes {InputDimension} descriptors; got {descriptors.Length}.", nameof(descriptors));
        }

        if (value.Length != Dimension)
        {
            throw new ArgumentException($"The collective variable has {Dimension} values; the span has room for {value.Length}.", nameof(value));
        }

        if (!jacobian.IsEmpty && jacobian.Length != Dimension * InputDimension)
        {
            throw new ArgumentException($"The Jacobian has {Dimension} x {InputDimension} = {Dimension * InputDimension} entries; the span has {jacobian.Length}.", nameof(jacobian));
        }

        var scratch = t_scratch is { } existing && existing.Length >= _scratchLength ? existing : (t_scratch = new double[_scratchLength]);
        var maxWidth = _maxWidth;
        var span = scratch.AsSpan();
        var activations = span[.._hiddenTotal];
        var derivatives = span.Slice(_hiddenTotal, _hiddenTotal);
        var first = span.Slice(2 * _hiddenTotal, maxWidth);
        var second = span.Slice((2 * _hiddenTotal) + maxWidth, maxWidth);

        // Forward: standardise, then the hidden layers (keeping each activation's derivative), then the output layer.
        var input = first[..InputDimension];
        for (var i = 0; i < input.Length; i++)
        {
            input[i] = (descriptors[i] - _mean[i]) * _inverseScale[i];
        }

        ReadOnlySpan<double> h = input;
        var offset = 0;
        var layers = _weights.Length;
        for (var l = 0; l < layers - 1; l++)
        {
            var width = _widths[l + 1];
            var output = activations.Slice(offset, width);
            var slope = derivatives.Slice(offset, width);
            Affine(_weights[l], _biases[l], h, output);
            for (var j = 0; j < width; j++)
            {
                (output[j], slope[j]) = Apply(_activation, output[j]);
            }

            h = output;
            offset += width;
        }

        Affine(_weights[layers - 1], _biases[layers - 1], h, value);
        if (jacobian.IsEmpty)
        {
            return;
        }

        // Backward, once per latent dimension: g = W_L[k, :], then g <- W_l^T (g * act'(a_l)) down to the input.
        for (var k = 0; k < Dimension; k++)
        {
            var inWidth = _widths[layers - 1];
            var g = first[..inWidth];
            _weights[layers - 1].AsSpan(k * inWidth, inWidth).CopyTo(g);
            var end = _hiddenTotal;
            for (var l = layers - 2; l >= 0; l--)
            {
                var width = _widths[l + 1];
                end -= width;
                var slope = derivatives.Slice(end, width);
                for (var j = 0; j < width; j++)
                {
                    g[j] *= slope[j];
                }

                var below = _widths[l];
                var next = (g.Overlaps(first) ? second : first)[..below];
                next.Clear();
                var weight = _weights[l];
                for (var j = 0; j < width; j++)
                {
                    var gj = g[j];
                    var row = weight.AsSpan(j * below, below);
                    for (var i = 0; i < below; i++)
                    {
                        next[i] += gj * row[i];
                    }
                }

                g = next;
            }

            var target = jacobian.Slice(k * InputDimension, InputDimension);
            for (var i = 0; i < InputDimension; i++)
            {
                target[i] = g[i] * _inverseScale[i];
            }
        }
    }

    /// <summary>z = mu(X) of many frames.</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw descriptors.</param>
    /// <returns>Frames x <see cref="Dimension"/> values.</returns>
    public double[,] Evaluate(double[,] frames)
    {
        CheckFrames(frames);
        var values = new double[frames.GetLength(0), Dimension];
        var input = Internal.ArrayViews.AsReadOnlySpan(frames);
        var output = Internal.ArrayViews.AsSpan(values);
        for (var n = 0; n < values.GetLength(0); n++)
        {
            Evaluate(input.Slice(n * InputDimension, InputDimension), output.Slice(n * Dimension, Dimension), []);
        }

        return values;
    }

    /// <summary>z = mu(X) of many frames and each frame's Jacobian.</summary>
    /// <param name="frames">Frames x <see cref="InputDimension"/> raw descriptors.</param>
    /// <returns>Frames x <see cref="Dimension"/> values, and frames x <see cref="Dimension"/> x <see cref="InputDimension"/> derivatives dz_k / dX_i.</returns>
    public (double[,] Values, double[,,] Jacobians) EvaluateWithJacobian(double[,] frames)
    {
        CheckFrames(frames);
        var count = frames.GetLength(0);
        var values = new double[count, Dimension];
        var jacobians = new double[count, Dimension, InputDimension];
        var input = Internal.ArrayViews.AsReadOnlySpan(frames);
        var output = Internal.ArrayViews.AsSpan(values);
        var block = Dimension * InputDimension;
        var derivatives = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref jacobians[0, 0, 0], jacobians.Length);
        for (var n = 0; n < count; n++)
        {
            Evaluate(input.Slice(n * InputDimension, InputDimension), output.Slice(n * Dimension, Dimension), derivatives.Slice(n * block, block));
        }

        return (values, jacobians);
    }

    private void CheckFrames(double[,] frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.GetLength(1) != InputDimension)
        {
            throw new ArgumentException($"The frames have {frames.GetLength(1)} descriptors but the collective variable takes {InputDimension}.", nameof(frames));
        }
    }

    private static void Affine(double[] weight, double[] bias, ReadOnlySpan<double> input, Span<double> output)
    {
        var inputs = input.Length;
        for (var j = 0; j < output.Length; j++)
        {
            var row = weight.AsSpan(j * inputs, inputs);
            var sum = bias[j];
            for (var i = 0; i < inputs; i++)
            {
                sum += row[i] * input[i];
            }

            output[j] = sum;
        }
    }

    private static (double Value, double Slope) Apply(Activation activation, double x)
    {
        switch (activation)
        {
            case Activation.ReLU:
                return x > 0 ? (x, 1) : (0, 0);
            case Activation.SiLU:
                var sigmoid = 1 / (1 + Math.Exp(-x));
                return (x * sigmoid, sigmoid * (1 + (x * (1 - sigmoid))));
            case Activation.Tanh:
                var t = Math.Tanh(x);
                return (t, 1 - (t * t));
            default:
                return (x, 1);
        }
    }
}
