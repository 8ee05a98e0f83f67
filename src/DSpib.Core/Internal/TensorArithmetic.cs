using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Internal;

/// <summary>
/// Tensor arithmetic with numbers that keeps every <see cref="Scalar"/> it hands to libtorch alive until the call
/// returns.
/// </summary>
/// <remarks>
/// TorchSharp's operators and implicit number-to-Scalar conversions create a Scalar, pass its native handle to
/// libtorch and drop the managed object at once; if a garbage collection finalises it during the native call, libtorch
/// reads freed memory (long trainings died with "Scalar::toFloat"). The library therefore never uses the tensor
/// operators <c>+</c>, or <c>-</c>, <c>*</c>, <c>/</c> with a number, nor implicit conversions to Scalar: it calls
/// these methods, or passes a Scalar it holds. A test reads the compiled library and fails on any other use.
/// </remarks>
internal static class TensorArithmetic
{
    /// <summary>The integer 1, a valid alpha for floating-point and integer tensors alike; held for the process's life.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 0; held for the process's life.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>a += b, in place.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b) => a.add_(b, One);

    /// <summary>a + factor * b in one operation.</summary>
    public static Tensor PlusScaled(this Tensor a, Tensor b, double factor)
    {
        using var alpha = factor.ToScalar();
        return a.add(b, alpha);
    }

    /// <summary>a += factor * b, in place.</summary>
    public static Tensor PlusScaledInPlace(this Tensor a, Tensor b, double factor)
    {
        using var alpha = factor.ToScalar();
        return a.add_(b, alpha);
    }

    /// <summary>The classical Runge-Kutta update z + h/6 (k1 + 2 k2 + 2 k3 + k4).</summary>
    public static Tensor RungeKutta4Update(this Tensor z, double h, Tensor k1, Tensor k2, Tensor k3, Tensor k4)
    {
        using var slopes = k1.PlusScaled(k2, 2).PlusScaledInPlace(k3, 2).PlusInPlace(k4);
        return z.PlusScaled(slopes, h / 6);
    }

    /// <summary>z + h * sum_i w_i k_i, a Runge-Kutta stage.</summary>
    public static Tensor PlusCombination(this Tensor z, double h, params ReadOnlySpan<(double Weight, Tensor Term)> terms)
    {
        var sum = z.PlusScaled(terms[0].Term, h * terms[0].Weight);
        for (var i = 1; i < terms.Length; i++)
        {
            sum.PlusScaledInPlace(terms[i].Term, h * terms[i].Weight);
        }

        return sum;
    }

    /// <summary>h * sum_i w_i k_i.</summary>
    public static Tensor Combination(double h, params ReadOnlySpan<(double Weight, Tensor Term)> terms)
    {
        var sum = terms[0].Term.Times(h * terms[0].Weight);
        for (var i = 1; i < terms.Length; i++)
        {
            sum.PlusScaledInPlace(terms[i].Term, h * terms[i].Weight);
        }

        return sum;
    }

    /// <summary>a + value.</summary>
    public static Tensor Plus(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.add(scalar, One);
    }

    /// <summary>a - value.</summary>
    public static Tensor Minus(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.sub(scalar);
    }

    /// <summary>value - a.</summary>
    public static Tensor SubtractedFrom(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        using var negated = a.neg();
        return negated.add(scalar, One);
    }

    /// <summary>a * value.</summary>
    public static Tensor Times(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.mul(scalar);
    }

    /// <summary>a * value for an integer value, which keeps an integer tensor's type.</summary>
    public static Tensor Times(this Tensor a, long value)
    {
        using var scalar = value.ToScalar();
        return a.mul(scalar);
    }

    /// <summary>a *= value, in place.</summary>
    public static Tensor TimesInPlace(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.mul_(scalar);
    }

    /// <summary>a / value.</summary>
    public static Tensor DividedBy(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.div(scalar);
    }

    /// <summary>max(a, value) element-wise.</summary>
    public static Tensor AtLeast(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.clamp_min(scalar);
    }

    /// <summary>a &gt; value element-wise.</summary>
    public static Tensor GreaterThan(this Tensor a, double value)
    {
        using var scalar = value.ToScalar();
        return a.gt(scalar);
    }

    /// <summary>A tensor of the given shape filled with value.</summary>
    public static Tensor Filled(long[] shape, double value, ScalarType type, Device device)
    {
        using var scalar = value.ToScalar();
        return full(shape, scalar, dtype: type, device: device);
    }

    /// <summary>A tensor of the given shape filled with an integer value.</summary>
    public static Tensor Filled(long[] shape, long value, ScalarType type, Device device)
    {
        using var scalar = value.ToScalar();
        return full(shape, scalar, dtype: type, device: device);
    }

    /// <summary>The int64 indices 0, 1, ..., count - 1.</summary>
    /// <remarks>The three-Scalar overload: the shorter ones make their start and step as temporaries.</remarks>
    public static Tensor Indices(long count, Device device)
    {
        using var stop = count.ToScalar();
        return arange(Zero, stop, One, ScalarType.Int64, device);
    }

    /// <summary>a * a element-wise.</summary>
    /// <remarks>
    /// TorchSharp's <c>square()</c> is <c>pow(2)</c> with a temporary Scalar. libtorch computes an exponent of 2 as this
    /// same product, so the results are bitwise the same.
    /// </remarks>
    public static Tensor Squared(this Tensor a) => a.mul(a);
}
