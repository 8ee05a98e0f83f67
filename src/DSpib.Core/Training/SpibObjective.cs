using DSpib.Spib;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// The SPIB loss of a batch (METHOD section 3), with weights normalised by their sum:
/// E_w[-log p(y[n+s] | z_n)] + beta E_w[log q(z_n | X_n) - log r(z_n)], one reparameterised sample z_n per pair.
/// </summary>
internal static class SpibObjective
{
    public readonly record struct Terms(Tensor Loss, Tensor CrossEntropy, Tensor Kl, Tensor WeightSum);

    public static Terms Compute(SpibNetwork network, Tensor inputs, Tensor labels, Tensor weights, double beta, Generator generator)
    {
        var (mean, logVariance) = network.Encoder.forward(inputs);
        var noise = randn(mean.shape, dtype: mean.dtype, device: mean.device, generator: generator);
        var z = mean + ((0.5 * logVariance).exp() * noise);

        // log q(z | X) without the -D/2 log 2 pi that cancels against log r; (z - mu)^2 / sigma^2 is the noise squared.
        // A scalar log-variance (shape [1]) is shared by all D dimensions and so counted D times.
        var logQ = logVariance.dim() == 1
            ? (-0.5 * mean.shape[1] * logVariance) - (0.5 * noise.square().sum(1))
            : ((-0.5 * logVariance) - (0.5 * noise.square())).sum(1);

        var logR = network.Prior.LogDensity(z, network.Encoder);
        var crossEntropy = nn.functional.cross_entropy(network.Decoder.Logits(z), labels, reduction: nn.Reduction.None);
        var weightSum = weights.sum();
        var meanCrossEntropy = (weights * crossEntropy).sum() / weightSum;
        var meanKl = (weights * (logQ - logR)).sum() / weightSum;
        return new Terms(meanCrossEntropy + (beta * meanKl), meanCrossEntropy, meanKl, weightSum);
    }
}
