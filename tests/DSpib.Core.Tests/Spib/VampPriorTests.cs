using DSpib.Spib;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Spib;

public class VampPriorTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LogDensity_MatchesTheMixtureFormulaEvaluatedDirectly(bool inputDependentVariance)
    {
        using var generator = new Generator(3);
        var options = EncoderOptions.Linear with { InputDependentVariance = inputDependentVariance };
        using var encoder = new Encoder(inputDimension: 3, latentDimension: 2, options, ScalarType.Float64, generator);
        using var prior = new VampPriorNetwork(randn(5, 3, dtype: ScalarType.Float64, generator: generator));
        using (no_grad())
        {
            // Non-uniform mixture weights.
            prior.parameters().Single().copy_(randn(5, dtype: ScalarType.Float64, generator: generator));
        }

        using var z = randn(7, 2, dtype: ScalarType.Float64, generator: generator);

        var actual = prior.LogDensity(z, encoder).data<double>().ToArray();

        var (means, logVariance) = encoder.forward(prior.PseudoInputs);
        var m = means.data<double>().ToArray();
        var lv = logVariance.expand(5, 2).contiguous().data<double>().ToArray();
        var logWeights = prior.LogWeights().data<double>().ToArray();
        var points = z.data<double>().ToArray();
        for (var n = 0; n < 7; n++)
        {
            var terms = new double[5];
            for (var k = 0; k < 5; k++)
            {
                terms[k] = logWeights[k];
                for (var d = 0; d < 2; d++)
                {
                    var variance = Math.Exp(lv[(k * 2) + d]);
                    var difference = points[(n * 2) + d] - m[(k * 2) + d];
                    terms[k] += (-0.5 * Math.Log(variance)) - (0.5 * difference * difference / variance);
                }
            }

            var max = terms.Max();
            var expected = max + Math.Log(terms.Sum(t => Math.Exp(t - max)));
            actual[n].Should().BeApproximately(expected, 1e-10);
        }
    }
}
