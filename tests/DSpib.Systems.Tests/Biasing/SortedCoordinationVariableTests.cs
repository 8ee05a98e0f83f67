using DSpib.Systems.Biasing;
using DSpib.Systems.Datasets;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Biasing;

/// <summary>A variable of the sorted LJ7 coordination numbers, as a variable of the 14 coordinates.</summary>
public class SortedCoordinationVariableTests
{
    /// <summary>
    /// Two nonlinear values that weight every sorted position differently, so a wrong permutation or a missing chain
    /// rule term changes the Jacobian: s0 = sum_k (k + 1) c_k, s1 = c_0^2 c_6.
    /// </summary>
    private sealed class Weighted : ICollectiveVariable
    {
        public int InputDimension => 7;

        public int Dimension => 2;

        public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian)
        {
            value[0] = 0;
            for (var k = 0; k < 7; k++)
            {
                value[0] += (k + 1) * position[k];
            }

            value[1] = position[0] * position[0] * position[6];
            if (!jacobian.IsEmpty)
            {
                jacobian[..14].Clear();
                for (var k = 0; k < 7; k++)
                {
                    jacobian[k] = k + 1;
                }

                jacobian[7] = 2 * position[0] * position[6];
                jacobian[7 + 6] = position[0] * position[0];
            }
        }
    }

    [Fact]
    public void Values_AreTheInnerVariableOfTheDatasetsSortedDescriptors_AndTheJacobianMatchesCentralDifferences()
    {
        var potential = new LennardJones7();
        var random = new Random(5);
        var variable = new SortedCoordinationVariable(new Weighted());
        for (var trial = 0; trial < 5; trial++)
        {
            var position = potential.MinimumEnergyHexagon();
            for (var d = 0; d < position.Length; d++)
            {
                position[d] += 0.3 * (random.NextDouble() - 0.5);
            }

            var value = new double[2];
            var jacobian = new double[2 * 14];
            variable.Evaluate(position, value, jacobian);

            var frame = new double[1, 14];
            for (var d = 0; d < 14; d++)
            {
                frame[0, d] = position[d];
            }

            var sorted = Enumerable.Range(0, 7).Select(k => Lj7Dataset.Describe(frame).Coordination[0, k]).ToArray();
            var expected = new double[2];
            new Weighted().Evaluate(sorted, expected, []);
            value.Should().Equal(expected, (a, b) => Math.Abs(a - b) < 1e-12);

            var valueOnly = new double[2];
            variable.Evaluate(position, valueOnly, []);
            valueOnly.Should().Equal(value);

            // Random displacements leave the coordination numbers distinct, where sorting is a fixed permutation
            // near the point: h = 1e-6 gives errors ~1e-10 on values of O(10).
            const double H = 1e-6;
            var up = new double[2];
            var down = new double[2];
            for (var d = 0; d < 14; d++)
            {
                var shifted = (double[])position.Clone();
                shifted[d] += H;
                variable.Evaluate(shifted, up, []);
                shifted[d] -= 2 * H;
                variable.Evaluate(shifted, down, []);
                for (var k = 0; k < 2; k++)
                {
                    jacobian[(k * 14) + d].Should().BeApproximately((up[k] - down[k]) / (2 * H), 1e-6);
                }
            }
        }
    }

    [Fact]
    public void AVariableOfAnotherInputSize_IsRefused_NamingTheArgument()
    {
        var wrong = () => new SortedCoordinationVariable(new WrongSize());

        wrong.Should().Throw<ArgumentException>().WithParameterName("ofCoordination").WithMessage("*7 sorted coordination numbers*");
    }

    private sealed class WrongSize : ICollectiveVariable
    {
        public int InputDimension => 14;

        public int Dimension => 1;

        public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian) => value[0] = 0;
    }
}
