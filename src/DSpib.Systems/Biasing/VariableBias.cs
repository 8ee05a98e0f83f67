namespace DSpib.Systems.Biasing;

/// <summary>A bias that is a function U(s) of a collective variable, as the biases of this namespace are.</summary>
internal interface IEnergyAlongVariable
{
    /// <summary>U(s) for <paramref name="walker"/>, with dU/ds_k written to <paramref name="slope"/>.</summary>
    double EnergyAndSlope(int walker, ReadOnlySpan<double> s, Span<double> slope);
}

/// <summary>The chain rule from a bias along a collective variable to the coordinates, shared by the biases.</summary>
internal static class VariableBias
{
    /// <summary>Largest CV value count or Jacobian size kept on the stack.</summary>
    private const int StackLimit = 256;

    /// <summary>
    /// Evaluates s(x) and ds/dx, asks <paramref name="bias"/> for U(s) and dU/ds, adds
    /// dU/dx_i = sum_k dU/ds_k ds_k/dx_i to <paramref name="gradient"/> and returns U.
    /// </summary>
    public static double AddEnergyAndGradient<TBias>(TBias bias, ICollectiveVariable cv, int walker, ReadOnlySpan<double> position, Span<double> gradient)
        where TBias : IEnergyAlongVariable
    {
        var dimension = cv.Dimension;
        var inputs = cv.InputDimension;
        Span<double> s = dimension <= StackLimit ? stackalloc double[dimension] : new double[dimension];
        Span<double> slope = dimension <= StackLimit ? stackalloc double[dimension] : new double[dimension];
        Span<double> jacobian = dimension * inputs <= StackLimit ? stackalloc double[dimension * inputs] : new double[dimension * inputs];
        cv.Evaluate(position, s, jacobian);
        var energy = bias.EnergyAndSlope(walker, s, slope);
        for (var k = 0; k < dimension; k++)
        {
            var row = jacobian.Slice(k * inputs, inputs);
            for (var i = 0; i < inputs; i++)
            {
                gradient[i] += slope[k] * row[i];
            }
        }

        return energy;
    }
}
