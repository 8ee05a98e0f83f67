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
            var next = (z - (beta / Math.Sqrt(1 - sde.AlphaBar(i)) * lambda * eps)) / Math.Sqrt(1 - beta);
            if (i > 0)
            {
                next += randn([count, dimension], dtype: type, device: device, generator: generator) * (Math.Sqrt(beta) * lambda);
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
            var drift = (-0.5 * sde.Beta(t) * current) - (g * g * score);
            var next = current - (drift * dt);
            if (k < steps - 1)
            {
                next += randn([count, dimension], dtype: type, device: device, generator: generator) * (g * Math.Sqrt(dt));
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
        Tensor Velocity(Tensor x, double t) => -0.5 * sde.Beta(t) * (x + (lambda * lambda * Score(predictor, sde, x, t, temperature, lambda)));
        for (var k = 0; k < steps; k++)
        {
            using var scope = NewDisposeScope();
            var t = 1 + (k * h);
            var k1 = Velocity(z, t);
            var k2 = Velocity(z + (0.5 * h * k1), t + (0.5 * h));
            var k3 = Velocity(z + (0.5 * h * k2), t + (0.5 * h));
            var k4 = Velocity(z + (h * k3), t + h);
            var next = z + (h / 6 * (k1 + (2 * k2) + (2 * k3) + k4));
            z.Dispose();
            z = next.MoveToOuterDisposeScope();
        }

        return z;
    }

    /// <summary>A draw from the prior N(0, lambda^2 I) the reverse process starts from.</summary>
    private static Tensor PriorDraw(long count, int dimension, double lambda, Generator generator, ScalarType type, Device device)
    {
        using var scope = NewDisposeScope();
        return (randn([count, dimension], dtype: type, device: device, generator: generator) * lambda).MoveToOuterDisposeScope();
    }

    /// <summary>score(z, t) = -eps_hat / (lambda s(t)) at continuous time t.</summary>
    private static Tensor Score(INoisePredictor predictor, VpSde sde, Tensor z, double t, double temperature, double lambda) =>
        predictor.PredictNoise(z, DiffusionTime.Continuous(t), temperature, lambda) / (-lambda * sde.NoiseScale(t));

    /// <summary>One Langevin corrector step (Song et al. 2021) with the step size set by the signal-to-noise ratio.</summary>
    private static Tensor LangevinCorrector(INoisePredictor predictor, VpSde sde, Tensor z, double t, double temperature, double lambda, double signalToNoise, Generator generator)
    {
        var score = Score(predictor, sde, z, t, temperature, lambda);
        var noise = randn(z.shape, dtype: z.dtype, device: z.device, generator: generator);
        var scoreNorm = score.square().sum(1).sqrt().mean().to(ScalarType.Float64).item<double>();
        var noiseNorm = noise.square().sum(1).sqrt().mean().to(ScalarType.Float64).item<double>();

        // alpha = 1 - beta_i of the discretisation (1000 steps for the continuous form, as in score_sde).
        var discreteSteps = sde.IsDiscrete ? sde.Steps : 1000;
        var alpha = 1 - (sde.Beta(t) / discreteSteps);
        var stepSize = 2 * alpha * Math.Pow(signalToNoise * noiseNorm / Math.Max(scoreNorm, 1e-12), 2);
        return z + (stepSize * score) + (Math.Sqrt(2 * stepSize) * noise);
    }
}
