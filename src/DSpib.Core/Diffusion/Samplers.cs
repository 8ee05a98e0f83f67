using DSpib.Internal;
using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// Reverse-time samplers of the VP-SDE at one temperature. Each starts from the prior N(0, lambda^2 I) and integrates
/// back to the smallest time, drawing its noise from an explicit generator.
/// </summary>
internal static class Samplers
{
    /// <summary>
    /// Ancestral DDPM sampling over all N steps of the discrete form, for i = N-1 .. 0:
    /// z = (z - beta_i / sqrt(1 - alpha_bar_i) lambda eps_hat) / sqrt(1 - beta_i) + sqrt(beta_i) lambda xi, with no noise
    /// at the last step (i = 0), which is taken.
    /// </summary>
    public static Tensor Ancestral(INoisePredictor predictor, VpSde sde, long count, int dimension, double temperature, double lambda, Generator generator, ScalarType type, Device device)
    {
        if (!sde.IsDiscrete)
        {
            throw new InvalidOperationException("Ancestral sampling needs the discrete (DDPM) form; build the SDE with VpSde.Create().Discrete(...) or use the reverse-SDE or ODE samplers.");
        }

        var z = PriorDraw(count, dimension, lambda, generator, type, device);
        for (var i = sde.Steps - 1; i >= 0; i--)
        {
            using var scope = NewDisposeScope();
            var beta = sde.DiscreteBeta(i);
            var eps = predictor.PredictNoise(z, DiffusionTime.Discrete(sde, i), temperature, lambda);
            var next = z.PlusScaled(eps, -beta / Math.Sqrt(1 - sde.AlphaBar(i)) * lambda).DividedBy(Math.Sqrt(1 - beta));
            if (i > 0)
            {
                next.PlusScaledInPlace(randn([count, dimension], dtype: type, device: device, generator: generator), Math.Sqrt(beta) * lambda);
            }

            z.Dispose();
            z = next.MoveToOuterDisposeScope();
        }

        return z;
    }

    /// <summary>
    /// Euler-Maruyama on the reverse SDE dz = [f(z, t) - g(t)^2 score] dt + g(t) dW-bar from t = 1 to the smallest time,
    /// optionally with <paramref name="correctorSteps"/> Langevin corrector steps per step (predictor-corrector).
    /// </summary>
    public static Tensor ReverseSde(INoisePredictor predictor, VpSde sde, int steps, long count, int dimension, double temperature, double lambda, Generator generator, ScalarType type, Device device, int correctorSteps = 0, double signalToNoise = 0.16)
    {
        var z = PriorDraw(count, dimension, lambda, generator, type, device);
        var end = sde.SmallestTime;
        var dt = (1 - end) / steps;
        for (var k = 0; k < steps; k++)
        {
            using var scope = NewDisposeScope();
            var t = 1 - (k * dt);
            var current = z;
            for (var c = 0; c < correctorSteps; c++)
            {
                current = LangevinCorrector(predictor, sde, current, t, temperature, lambda, signalToNoise, generator);
            }

            var score = Score(predictor, sde, current, t, temperature, lambda);
            var g = sde.Diffusion(t, lambda);
            var drift = current.Times(-0.5 * sde.Beta(t)).PlusScaled(score, -g * g);
            var next = current.PlusScaled(drift, -dt);
            if (k < steps - 1)
            {
                next.PlusScaledInPlace(randn([count, dimension], dtype: type, device: device, generator: generator), g * Math.Sqrt(dt));
            }

            z.Dispose();
            z = next.MoveToOuterDisposeScope();
        }

        return z;
    }

    /// <summary>
    /// The probability-flow ODE dz/dt = -1/2 beta(t) [z + lambda^2 score(z, t)] integrated from t = 1 to the smallest time
    /// with fixed-step classical Runge-Kutta: deterministic given the starting draw.
    /// </summary>
    public static Tensor ProbabilityFlowRk4(INoisePredictor predictor, VpSde sde, int steps, long count, int dimension, double temperature, double lambda, Generator generator, ScalarType type, Device device)
    {
        var z = PriorDraw(count, dimension, lambda, generator, type, device);
        var end = sde.SmallestTime;
        var h = -(1 - end) / steps;
        Tensor Velocity(Tensor x, double t) => ProbabilityFlowVelocity(predictor, sde, x, t, temperature, lambda);
        for (var k = 0; k < steps; k++)
        {
            using var scope = NewDisposeScope();
            var t = 1 + (k * h);
            var k1 = Velocity(z, t);
            var k2 = Velocity(z.PlusScaled(k1, 0.5 * h), t + (0.5 * h));
            var k3 = Velocity(z.PlusScaled(k2, 0.5 * h), t + (0.5 * h));
            var k4 = Velocity(z.PlusScaled(k3, h), t + h);
            var next = z.RungeKutta4Update(h, k1, k2, k3, k4);
            z.Dispose();
            z = next.MoveToOuterDisposeScope();
        }

        return z;
    }

    /// <summary>
    /// The probability-flow ODE integrated with the adaptive Dormand-Prince 5(4) pair (first-same-as-last), the whole
    /// batch as one system: a step is accepted when the RMS of its error estimate, scaled by
    /// <paramref name="absoluteTolerance"/> + <paramref name="relativeTolerance"/> |z|, is at most 1.
    /// </summary>
    /// <returns>The samples and the number of accepted and rejected steps.</returns>
    public static (Tensor Samples, int Accepted, int Rejected) ProbabilityFlowDormandPrince(INoisePredictor predictor, VpSde sde, long count, int dimension, double temperature, double lambda, Generator generator, ScalarType type, Device device, double relativeTolerance = 1e-5, double absoluteTolerance = 1e-5)
    {
        var z = PriorDraw(count, dimension, lambda, generator, type, device);
        Tensor Velocity(Tensor x, double t) => ProbabilityFlowVelocity(predictor, sde, x, t, temperature, lambda);
        var end = sde.SmallestTime;
        var t = 1.0;
        var h = -0.01;
        var accepted = 0;
        var rejected = 0;
        var k1 = Velocity(z, t);
        while (t > end + 1e-12)
        {
            if (t + h < end)
            {
                h = end - t;
            }

            using var scope = NewDisposeScope();
            var k2 = Velocity(z.PlusCombination(h, (1.0 / 5, k1)), t + (h / 5));
            var k3 = Velocity(z.PlusCombination(h, (3.0 / 40, k1), (9.0 / 40, k2)), t + (3 * h / 10));
            var k4 = Velocity(z.PlusCombination(h, (44.0 / 45, k1), (-56.0 / 15, k2), (32.0 / 9, k3)), t + (4 * h / 5));
            var k5 = Velocity(z.PlusCombination(h, (19372.0 / 6561, k1), (-25360.0 / 2187, k2), (64448.0 / 6561, k3), (-212.0 / 729, k4)), t + (8 * h / 9));
            var k6 = Velocity(z.PlusCombination(h, (9017.0 / 3168, k1), (-355.0 / 33, k2), (46732.0 / 5247, k3), (49.0 / 176, k4), (-5103.0 / 18656, k5)), t + h);
            var next = z.PlusCombination(h, (35.0 / 384, k1), (500.0 / 1113, k3), (125.0 / 192, k4), (-2187.0 / 6784, k5), (11.0 / 84, k6));
            var k7 = Velocity(next, t + h);

            // Fifth-order minus embedded fourth-order solution.
            var error = TensorArithmetic.Combination(h, (71.0 / 57600, k1), (-71.0 / 16695, k3), (71.0 / 1920, k4), (-17253.0 / 339200, k5), (22.0 / 525, k6), (-1.0 / 40, k7));
            var scale = maximum(z.abs(), next.abs()).Times(relativeTolerance).Plus(absoluteTolerance);
            var norm = (error / scale).Squared().mean().sqrt().to(ScalarType.Float64).item<double>();
            if (norm <= 1)
            {
                t += h;
                accepted++;
                z.Dispose();
                k1.Dispose();
                z = next.MoveToOuterDisposeScope();
                k1 = k7.MoveToOuterDisposeScope();
            }
            else
            {
                rejected++;
            }

            h *= Math.Clamp(0.9 * Math.Pow(Math.Max(norm, 1e-10), -0.2), 0.2, 5.0);
        }

        k1.Dispose();
        return (z, accepted, rejected);
    }

    /// <summary>A draw from the prior N(0, lambda^2 I) the reverse process starts from.</summary>
    private static Tensor PriorDraw(long count, int dimension, double lambda, Generator generator, ScalarType type, Device device)
    {
        using var scope = NewDisposeScope();
        return randn([count, dimension], dtype: type, device: device, generator: generator).Times(lambda).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The probability-flow velocity v(z, t) = -1/2 beta(t) [z + lambda^2 score] = -1/2 beta(t) [z - lambda eps_hat / s(t)].
    /// </summary>
    public static Tensor ProbabilityFlowVelocity(INoisePredictor predictor, VpSde sde, Tensor z, double t, double temperature, double lambda) =>
        z.PlusScaled(Score(predictor, sde, z, t, temperature, lambda), lambda * lambda).Times(-0.5 * sde.Beta(t));

    /// <summary>score(z, t) = -eps_hat / (lambda s(t)) at continuous time t.</summary>
    private static Tensor Score(INoisePredictor predictor, VpSde sde, Tensor z, double t, double temperature, double lambda) =>
        predictor.PredictNoise(z, DiffusionTime.Continuous(t), temperature, lambda).DividedBy(-lambda * sde.NoiseScale(t));

    /// <summary>One Langevin corrector step (Song et al. 2021) with the step size set by the signal-to-noise ratio.</summary>
    private static Tensor LangevinCorrector(INoisePredictor predictor, VpSde sde, Tensor z, double t, double temperature, double lambda, double signalToNoise, Generator generator)
    {
        var score = Score(predictor, sde, z, t, temperature, lambda);
        var noise = randn(z.shape, dtype: z.dtype, device: z.device, generator: generator);
        var scoreNorm = score.Squared().sum(1).sqrt().mean().to(ScalarType.Float64).item<double>();
        var noiseNorm = noise.Squared().sum(1).sqrt().mean().to(ScalarType.Float64).item<double>();

        // alpha = 1 - beta_i of the discretisation (1000 steps for the continuous form, as in score_sde).
        var discreteSteps = sde.IsDiscrete ? sde.Steps : 1000;
        var alpha = 1 - (sde.Beta(t) / discreteSteps);
        var stepSize = 2 * alpha * Math.Pow(signalToNoise * noiseNorm / Math.Max(scoreNorm, 1e-12), 2);
        return z.PlusScaled(score, stepSize).PlusScaledInPlace(noise, Math.Sqrt(2 * stepSize));
    }
}
