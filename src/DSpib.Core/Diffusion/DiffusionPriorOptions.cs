using DSpib.Internal;

namespace DSpib.Diffusion;

/// <summary>
/// The diffusion prior of a D-SPIB model: the VP-SDE and the score network's architecture. <see cref="Default"/> is the
/// library's choice (the reference's discrete SDE with the square-root temperature law, and the reference network
/// with the smooth temperature embedding, which transferred best between temperatures on LJ7); <see cref="Reference"/>
/// is the reference implementation's exactly.
/// </summary>
public sealed record DiffusionPriorOptions
{
    /// <summary>The library's default diffusion prior.</summary>
    public static DiffusionPriorOptions Default { get; } = new();

    /// <summary>The reference implementation's: 100 discrete steps, beta from 1e-4 to 0.2, lambda = T / T_ref, Fourier embeddings of scale 100.</summary>
    public static DiffusionPriorOptions Reference { get; } = new() { Sde = VpSde.Create().Reference().Build(), ScoreNet = ScoreNet.Create().Reference().Build() };

    /// <summary>The VP-SDE (default: 100 discrete steps, beta from 1e-4 to 0.2, square-root temperature law).</summary>
    public VpSde Sde { get; init; } = VpSde.Create().Discrete(100, 1e-4, 0.2).Build();

    /// <summary>The score network's architecture (default: the reference shape with the smooth temperature embedding).</summary>
    public ScoreNet ScoreNet { get; init; } = ScoreNet.Create().Build();

    /// <summary>Throws <see cref="ArgumentException"/>, naming the setting, unless the prior is valid.</summary>
    public void Validate()
    {
        Require.NotNull(Sde, nameof(Sde), "build one with VpSde.Create()...Build()").Validate();
        Require.NotNull(ScoreNet, nameof(ScoreNet), "build one with ScoreNet.Create()...Build()").Validate();
    }
}
