using DSpib.Devices;
using DSpib.Internal;
using static TorchSharp.torch;

namespace DSpib.Spib;

/// <summary>
/// SPIB's prior over the latent space of a trained SPIB baseline model: a mixture with one component per state,
/// N(mu(s_k), sigma^2(s_k) I) with learned weights omega_k, where s_k is a representative frame of state k. A model has
/// one when it is the SPIB baseline (<see cref="DSpibModel.VampPrior"/>); a D-SPIB model's prior is its diffusion prior.
/// </summary>
public sealed class VampPrior
{
    private readonly IVampPriorOwner _owner;

    internal VampPrior(int latentDimension, IVampPriorOwner owner)
    {
        LatentDimension = latentDimension;
        _owner = owner;
    }

    /// <summary>Dimension of the latent space.</summary>
    public int LatentDimension { get; }

    /// <summary>
    /// Generates latent samples: component k with its learned weight omega_k, then N(mu(s_k), sigma^2 I) with the
    /// encoder's variance (not its standard deviation) as the covariance.
    /// </summary>
    /// <param name="count">Number of samples (at least 1).</param>
    /// <param name="seed">Seed of the draw; the same seed gives the same samples.</param>
    /// <returns>Count x <see cref="LatentDimension"/> latent samples.</returns>
    public double[,] Sample(int count, int seed = 42)
    {
        Require.AtLeast(count, 1, nameof(count), "ask for at least one sample");
        using var call = NativeLifetime.Enter(_owner);
        var (encoder, prior) = _owner.TrainedVampPrior;
        using var generator = new Generator((ulong)seed, _owner.Backend.Device);
        using var inference = inference_mode();
        var samples = prior.Sample(count, encoder, generator).to(ScalarType.Float64).cpu().contiguous();
        var result = new double[count, LatentDimension];
        samples.data<double>().CopyTo(ArrayViews.AsSpan(result));
        return result;
    }
}

/// <summary>What a <see cref="VampPrior"/> needs from the model it belongs to.</summary>
internal interface IVampPriorOwner
{
    /// <summary>The trained encoder and VampPrior; throws when the model is not trained or is disposed.</summary>
    (Encoder Encoder, VampPriorNetwork Prior) TrainedVampPrior { get; }

    /// <summary>Device and precision.</summary>
    DeviceBackend Backend { get; }
}
