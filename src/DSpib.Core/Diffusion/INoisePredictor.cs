using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// A point of the diffusion's time axis: the continuous time t in (0, 1] and, for the discrete (DDPM) form, the step
/// index i with t = (i + 1) / N (-1 for the continuous form).
/// </summary>
/// <param name="Time">Continuous time.</param>
/// <param name="Step">Discrete step index, or -1.</param>
internal readonly record struct DiffusionTime(double Time, int Step)
{
    public static DiffusionTime Continuous(double t) => new(t, -1);

    public static DiffusionTime Discrete(VpSde sde, int step) => new(sde.TimeOfStep(step), step);

    /// <summary>m(t): sqrt(alpha_bar_i) in the discrete form, exp(-B(t) / 2) in the continuous one.</summary>
    public double MeanScale(VpSde sde) => Step >= 0 ? Math.Sqrt(sde.AlphaBar(Step)) : sde.MeanScale(Time);

    /// <summary>s(t): sqrt(1 - alpha_bar_i) in the discrete form, sqrt(1 - exp(-B(t))) in the continuous one.</summary>
    public double NoiseScale(VpSde sde) => Step >= 0 ? Math.Sqrt(1 - sde.AlphaBar(Step)) : sde.NoiseScale(Time);
}

/// <summary>
/// Predicts the unit-variance noise eps in z_t = m(t) z_0 + lambda s(t) eps, for a batch of latents at one time and one
/// temperature. The score is then -eps_hat / (lambda s(t)).
/// </summary>
internal interface INoisePredictor
{
    /// <param name="z">Noisy latents [batch, D].</param>
    /// <param name="time">The diffusion time of every row.</param>
    /// <param name="temperature">k_B T of every row.</param>
    /// <param name="lambda">The noise scale lambda(T).</param>
    Tensor PredictNoise(Tensor z, DiffusionTime time, double temperature, double lambda);
}
