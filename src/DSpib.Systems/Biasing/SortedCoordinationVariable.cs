using DSpib.Systems.Potentials;

namespace DSpib.Systems.Biasing;

/// <summary>
/// A collective variable of the LJ7 coordinates that is a function of the 7 coordination numbers sorted in descending
/// order (the descriptors of <see cref="Datasets.Lj7Dataset"/>): s(x) = f(sort(c(x))), with the Jacobian carried
/// through the coordination numbers by the chain rule, ds/dx = df/dc_sorted P dc/dx, where P is the sorting permutation (sorting is
/// continuous and piecewise a permutation, so this is the derivative wherever no two coordination numbers are equal).
/// </summary>
public sealed class SortedCoordinationVariable : ICollectiveVariable
{
    private const int Particles = LennardJones7.Particles;
    private readonly ICollectiveVariable _ofCoordination;

    /// <summary>Wraps a variable of the 7 sorted coordination numbers, such as a model's learned variable trained on them.</summary>
    /// <param name="ofCoordination">A variable with 7 inputs, thread-safe as <see cref="ICollectiveVariable"/> requires.</param>
    public SortedCoordinationVariable(ICollectiveVariable ofCoordination)
    {
        ArgumentNullException.ThrowIfNull(ofCoordination);
        if (ofCoordination.InputDimension != Particles)
        {
            throw new ArgumentException($"The variable must take the {Particles} sorted coordination numbers as its inputs; it takes {ofCoordination.InputDimension}.", nameof(ofCoordination));
        }

        _ofCoordination = ofCoordination;
    }

    /// <inheritdoc />
    public int InputDimension => 2 * Particles;

    /// <inheritdoc />
    public int Dimension => _ofCoordination.Dimension;

    /// <inheritdoc />
    public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian)
    {
        if (position.Length != InputDimension)
        {
            throw new ArgumentException($"LJ7 positions have {InputDimension} coordinates; got {position.Length}.", nameof(position));
        }

        Span<double> coordination = stackalloc double[Particles];
        Span<double> coordinationJacobian = stackalloc double[Particles * 2 * Particles];
        LennardJones7.CoordinationNumbersAndJacobian(position, coordination, coordinationJacobian);

        // order[k] is the particle with the k-th largest coordination number (insertion sort: 7 values).
        Span<int> order = stackalloc int[Particles];
        for (var i = 0; i < Particles; i++)
        {
            var k = i;
            for (; k > 0 && coordination[order[k - 1]] < coordination[i]; k--)
            {
                order[k] = order[k - 1];
            }

            order[k] = i;
        }

        Span<double> sorted = stackalloc double[Particles];
        for (var k = 0; k < Particles; k++)
        {
            sorted[k] = coordination[order[k]];
        }

        if (jacobian.IsEmpty)
        {
            _ofCoordination.Evaluate(sorted, value, []);
            return;
        }

        var dimension = Dimension;
        if (jacobian.Length < dimension * InputDimension)
        {
            throw new ArgumentException($"The Jacobian needs {dimension} x {InputDimension} values; got room for {jacobian.Length}.", nameof(jacobian));
        }

        Span<double> slopes = dimension * Particles <= 256 ? stackalloc double[dimension * Particles] : new double[dimension * Particles];
        _ofCoordination.Evaluate(sorted, value, slopes);
        jacobian[..(dimension * InputDimension)].Clear();
        for (var row = 0; row < dimension; row++)
        {
            var target = jacobian.Slice(row * InputDimension, InputDimension);
            for (var k = 0; k < Particles; k++)
            {
                var slope = slopes[(row * Particles) + k];
                var source = coordinationJacobian.Slice(order[k] * InputDimension, InputDimension);
                for (var d = 0; d < InputDimension; d++)
                {
                    target[d] += slope * source[d];
                }
            }
        }
    }
}
