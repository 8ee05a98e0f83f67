using DSpib.Diffusion;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Support;

/// <summary>
/// The exact unit-noise prediction for data N(mean, s^2 I) under the VP-SDE: z_t = m z_0 + lambda s_t eps gives
/// z_t ~ N(m mean, v) with v = m^2 s^2 + lambda^2 s_t^2, so E[eps | z_t] = lambda s_t (z_t - m mean) / v.
/// </summary>
internal sealed class ExactGaussianPredictor(VpSde sde, double[] mean, double standardDeviation) : INoisePredictor
{
    public Tensor PredictNoise(Tensor z, DiffusionTime time, double temperature, double lambda)
    {
        var m = time.MeanScale(sde);
        var s = time.NoiseScale(sde);
        var variance = (m * m * standardDeviation * standardDeviation) + (lambda * lambda * s * s);
        using var centre = tensor(mean, dtype: z.dtype) * m;
        return (z - centre) * (lambda * s / variance);
    }
}
