using DSpib.Internal;
using DSpib.Spib;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// The training objectives of a batch, with weights normalised by their sum (docs/concepts.md).
/// SPIB: E_w[-log p(y[n+s] | z_n)] + beta E_w[log q(z_n | X_n) - log r(z_n)].
/// D-SPIB: E_w[-log p(y[n+s] | z_n)] + beta E_w[log q(z_n | X_n) + L_diffusion(z_n, T_n)], where
/// the denoising score-matching term estimates the cross-entropy to the diffusion prior and z_n is not detached.
/// One reparameterised sample z_n per pair.
/// </summary>
internal static class SpibObjective
{
    /// <param name="Loss">The objective.</param>
    /// <param name="CrossEntropy">Its future-state cross-entropy.</param>
    /// <param name="Kl">Its bottleneck term before beta.</param>
    /// <param name="Diffusion">The diffusion term alone (zero for SPIB).</param>
    /// <param name="WeightSum">The batch's weight sum, for exact epoch means.</param>
    public readonly record struct Terms(Tensor Loss, Tensor CrossEntropy, Tensor Kl, Tensor Diffusion, Tensor WeightSum);

    public static Terms Spib(ModelNetwork network, Tensor inputs, Tensor labels, Tensor weights, double beta, Generator generator)
    {
        var (z, logQ) = SampleLatent(network, inputs, generator);
        var logR = network.Prior.LogDensity(z, network.Encoder);
        return Combine(network, z, labels, weights, logQ - logR, diffusion: null, beta);
    }

    public static Terms Joint(ModelNetwork network, Tensor inputs, Tensor labels, Tensor weights, Diffusion.BatchTemperatures temperatures, double beta, int draws, Diffusion.DiffusionWeighting weighting, Generator generator)
    {
        var prior = network.Diffusion ?? throw new InvalidOperationException("The joint objective needs a model built WithDiffusionPrior(...).");
        var (z, logQ) = SampleLatent(network, inputs, generator);
        var diffusion = prior.DenoisingLoss(z, temperatures, draws, generator, weighting);
        return Combine(network, z, labels, weights, logQ.Plus(diffusion), diffusion, beta);
    }

    /// <summary>One reparameterised z ~ q(z | X) per row, and log q(z | X) without the -D/2 log 2 pi that cancels.</summary>
    private static (Tensor Z, Tensor LogQ) SampleLatent(ModelNetwork network, Tensor inputs, Generator generator)
    {
        var (mean, logVariance) = network.Encoder.forward(inputs);
        var noise = randn(mean.shape, dtype: mean.dtype, device: mean.device, generator: generator);
        var z = mean.Plus(logVariance.Times(0.5).exp() * noise);

        // (z - mu)^2 / sigma^2 is the noise squared. A scalar log-variance (shape [1]) is shared by all D dimensions
        // and so counted D times.
        var logQ = logVariance.dim() == 1
            ? logVariance.Times(-0.5 * mean.shape[1]).PlusScaled(noise.Squared().sum(1), -0.5)
            : logVariance.Times(-0.5).PlusScaled(noise.Squared(), -0.5).sum(1);
        return (z, logQ);
    }

    private static Terms Combine(ModelNetwork network, Tensor z, Tensor labels, Tensor weights, Tensor bottleneck, Tensor? diffusion, double beta)
    {
        var crossEntropy = nn.functional.cross_entropy(network.Decoder.Logits(z), labels, reduction: nn.Reduction.None);
        var weightSum = weights.sum();
        var meanCrossEntropy = (weights * crossEntropy).sum() / weightSum;
        var meanBottleneck = (weights * bottleneck).sum() / weightSum;
        var meanDiffusion = diffusion is null ? zeros_like(weightSum) : (weights * diffusion).sum() / weightSum;
        return new Terms(meanCrossEntropy.PlusScaled(meanBottleneck, beta), meanCrossEntropy, meanBottleneck, meanDiffusion, weightSum);
    }
}
