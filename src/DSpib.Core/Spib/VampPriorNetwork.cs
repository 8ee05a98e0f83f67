using DSpib.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Spib;

/// <summary>
/// The SPIB prior r(z) = sum_k omega_k N(z; mu(s_k), sigma^2(s_k) I): a mixture whose components are the encoder's
/// posteriors at K pseudo-inputs s_k, which are real (standardised) frames, one per state. The pseudo-inputs are a
/// buffer, not trained by gradient; they are reset at each label refinement. omega = softmax(v) with v learnable.
/// </summary>
internal sealed class VampPriorNetwork : nn.Module
{
    private readonly Tensor pseudoInputs;
    private readonly Parameter weightLogits;

    public VampPriorNetwork(Tensor pseudoInputs)
        : base(nameof(VampPriorNetwork))
    {
        this.pseudoInputs = pseudoInputs;

        // Uniform weights at the start and after every reset. The parameter takes over the tensor's storage; disposing the
        // emptied tensor keeps it from the finalizer.
        using var uniform = zeros(pseudoInputs.shape[0], dtype: pseudoInputs.dtype, device: pseudoInputs.device);
        weightLogits = new Parameter(uniform);
        RegisterComponents();
        NativeLifetime.Own(this);
    }

    public long ComponentCount => pseudoInputs.shape[0];

    public Tensor PseudoInputs => pseudoInputs;

    /// <summary>log omega_k, [K].</summary>
    public Tensor LogWeights() => weightLogits.log_softmax(0);

    /// <summary>
    /// Draws from the mixture: a component k with probability omega_k, then N(mu(s_k), sigma^2(s_k) I), with the
    /// learned weights and the encoder's variance (not its standard deviation) as the covariance.
    /// </summary>
    public Tensor Sample(long count, Encoder encoder, Generator generator)
    {
        using var scope = NewDisposeScope();
        var (means, logVariance) = encoder.forward(pseudoInputs);
        var components = multinomial(LogWeights().exp(), count, replacement: true, generator: generator);
        var chosenMeans = means.index_select(0, components);
        var standardDeviation = (logVariance.dim() == 1 ? logVariance.expand_as(means) : logVariance).Times(0.5).exp().index_select(0, components);
        var noise = randn(chosenMeans.shape, dtype: chosenMeans.dtype, device: chosenMeans.device, generator: generator);
        return chosenMeans.Plus(standardDeviation * noise).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// log r(z) up to the constant -D/2 log 2 pi (which cancels against the same constant in log q), [batch].
    /// </summary>
    /// <remarks>
    /// The squared distance to each component is expanded as sum_d (z_d^2 - 2 z_d m_kd + m_kd^2) / v_kd so that the
    /// [batch, K] part is one fused matrix product (plus bias) and the per-sample part is added after the log-sum-exp.
    /// Reducing a [batch, K, D] difference tensor over its tiny last axis instead is an order of magnitude slower on CPU.
    /// </remarks>
    public Tensor LogDensity(Tensor z, Encoder encoder)
    {
        var (means, logVariance) = encoder.forward(pseudoInputs);
        var logWeights = LogWeights();
        if (logVariance.dim() == 1)
        {
            // One variance v shared by all components and dimensions:
            // log N_k(z) = -D/2 log v - |z|^2 / 2v + z.m_k / v - |m_k|^2 / 2v.
            var inverseVariance = (-logVariance).exp();
            var componentBias = logWeights - (inverseVariance * means.Squared().sum(1)).Times(0.5);
            var componentLog = addmm(componentBias.unsqueeze(0), z, means.t() * inverseVariance, beta: 1, alpha: 1);
            var perSample = logVariance.Times(-0.5 * z.shape[1]) - (inverseVariance * z.Squared().sum(1)).Times(0.5);
            return componentLog.logsumexp(1).Plus(perSample);
        }

        // A variance per component and dimension, v_kd, from the input-dependent head.
        var inverse = (-logVariance).exp(); // [K, D]
        var bias = logWeights.PlusScaled(logVariance.sum(1), -0.5).PlusScaled((means.Squared() * inverse).sum(1), -0.5);
        var log = addmm(bias.unsqueeze(0), z, (means * inverse).t(), beta: 1, alpha: 1).PlusScaled(z.Squared().matmul(inverse.t()), -0.5);
        return log.logsumexp(1);
    }
}
