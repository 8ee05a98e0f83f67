using DSpib.Data;
using DSpib.Devices;
using DSpib.Networks;
using DSpib.Spib;
using DSpib.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Training;

public class SpibObjectiveTests
{
    [Fact]
    public void Compute_WeightTwo_CountsLikeTheSamePairTwice()
    {
        using var generator = new Generator(4);
        var encoder = new Encoder(2, 2, EncoderOptions.Linear, ScalarType.Float64, generator);
        using (no_grad())
        {
            // sigma ~ 1e-13: the latent sample is the mean, so identical inputs give identical cross-entropies.
            encoder.parameters().Single(p => p.shape.Length == 1 && p.shape[0] == 1).fill_(-60.0);
        }

        var decoder = new StateDecoder(2, [16, 16], 3, Activation.ReLU, ScalarType.Float64, generator);
        var prior = new VampPriorNetwork(randn(3, 2, dtype: ScalarType.Float64, generator: generator));
        using var network = new ModelNetwork(encoder, decoder, prior, null, new Standardizer([0.0, 0.0], [1.0, 1.0]), DeviceBackend.Cpu(precision: TensorPrecision.Float64));
        using var a = tensor(new[] { 0.3, -1.2 }, dtype: ScalarType.Float64);
        using var b = tensor(new[] { -0.7, 0.4 }, dtype: ScalarType.Float64);

        var weighted = SpibObjective.Spib(network, stack([a, b]), tensor(new long[] { 0, 2 }), tensor(new[] { 2.0, 1.0 }, dtype: ScalarType.Float64), beta: 0, generator);
        var repeated = SpibObjective.Spib(network, stack([a, a, b]), tensor(new long[] { 0, 0, 2 }), ones(3, dtype: ScalarType.Float64), beta: 0, generator);
        var unweighted = SpibObjective.Spib(network, stack([a, b]), tensor(new long[] { 0, 2 }), ones(2, dtype: ScalarType.Float64), beta: 0, generator);

        weighted.CrossEntropy.item<double>().Should().BeApproximately(repeated.CrossEntropy.item<double>(), 1e-9);
        weighted.CrossEntropy.item<double>().Should().NotBeApproximately(unweighted.CrossEntropy.item<double>(), 1e-6);
    }
}
