using DSpib.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// Exact log-densities log p(z | T) from the probability-flow ODE dz/dt = v(z, t) = -1/2 beta(t) [z + lambda^2 score]:
/// integrating z forward from the smallest time to t = 1 together with the divergence of v gives
/// log p_0(z) = log N(z_1; 0, lambda^2 I) + integral of div v(z_t, t) dt. The latent space is tiny, so the divergence is
/// computed exactly with one gradient call per dimension, with no Hutchinson noise.
/// </summary>
/// <remarks>
/// Two approximations remain: the ODE is integrated with fixed-step RK4, and the marginal at t = 1 is taken to be the
/// prior N(0, lambda^2 I), which is exact up to terms of order exp(-B(1) / 2). The second dominates: with
/// beta_max = 20 (0.0066) it shifts log p by about 1e-3 at points a few standard deviations out, with beta_max = 40
/// (4.5e-5) the result matches a Gaussian's closed form to better than 1e-3 everywhere tested.
/// </remarks>
internal static class ProbabilityFlowLikelihood
{
    /// <summary>log p(z) at each point [batch, D], in nats.</summary>
    public static Tensor LogDensity(INoisePredictor predictor, VpSde sde, Tensor points, double temperature, double lambda, int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var start = sde.SmallestTime;
        var h = (1 - start) / steps;
        var z = points.detach().clone();
        var integral = zeros(points.shape[0], dtype: points.dtype, device: points.device);
        for (var k = 0; k < steps; k++)
        {
            using var scope = NewDisposeScope();
            var t = start + (k * h);
            var (v1, d1) = VelocityAndDivergence(predictor, sde, z, t, temperature, lambda);
            var (v2, d2) = VelocityAndDivergence(predictor, sde, z.PlusScaled(v1, 0.5 * h), t + (0.5 * h), temperature, lambda);
            var (v3, d3) = VelocityAndDivergence(predictor, sde, z.PlusScaled(v2, 0.5 * h), t + (0.5 * h), temperature, lambda);
            var (v4, d4) = VelocityAndDivergence(predictor, sde, z.PlusScaled(v3, h), t + h, temperature, lambda);
            var nextZ = z.RungeKutta4Update(h, v1, v2, v3, v4);
            var nextIntegral = integral.RungeKutta4Update(h, d1, d2, d3, d4);
            z.Dispose();
            integral.Dispose();
            z = nextZ.MoveToOuterDisposeScope();
            integral = nextIntegral.MoveToOuterDisposeScope();
        }

        using (NewDisposeScope())
        {
            var dimension = points.shape[1];
            var logPrior = z.Squared().sum(1).Times(-0.5 / (lambda * lambda)).Minus((dimension * Math.Log(lambda)) + (0.5 * dimension * Math.Log(2 * Math.PI)));
            var result = logPrior.Plus(integral).MoveToOuterDisposeScope();
            z.Dispose();
            integral.Dispose();
            return result;
        }
    }

    /// <summary>v(z, t) and its exact divergence sum_d dv_d / dz_d, both detached.</summary>
    private static (Tensor Velocity, Tensor Divergence) VelocityAndDivergence(INoisePredictor predictor, VpSde sde, Tensor z, double t, double temperature, double lambda)
    {
        using var gradients = enable_grad();
        var x = z.detach().requires_grad_(true);
        var velocity = Samplers.ProbabilityFlowVelocity(predictor, sde, x, t, temperature, lambda);
        var dimension = (int)z.shape[1];
        var divergence = zeros(z.shape[0], dtype: z.dtype, device: z.device);
        for (var d = 0; d < dimension; d++)
        {
            var gradient = autograd.grad([velocity[.., d].sum()], [x], retain_graph: d < dimension - 1)[0];
            divergence.PlusInPlace(gradient[.., d]);
        }

        return (velocity.detach(), divergence.detach());
    }
}
