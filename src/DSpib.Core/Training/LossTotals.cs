using DSpib.Internal;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>Weighted means of the loss terms over an epoch.</summary>
/// <param name="Loss">The objective.</param>
/// <param name="CrossEntropy">Its future-state cross-entropy.</param>
/// <param name="Kl">Its bottleneck term before beta.</param>
/// <param name="Diffusion">The diffusion term alone (zero in the SPIB phase).</param>
internal readonly record struct LossTotals(double Loss, double CrossEntropy, double Kl, double Diffusion)
{
    /// <summary>The totals of an epoch without pairs.</summary>
    public static LossTotals None { get; } = new(double.NaN, double.NaN, double.NaN, double.NaN);
}

/// <summary>
/// Sums the loss terms of an epoch's batches on the device, each weighted by its batch's weight sum, so that the
/// epoch means are exact and cost one transfer to the host per epoch.
/// </summary>
internal sealed class LossAccumulator : IDisposable
{
    // The slots of the sums: the four terms, then the weight total they are divided by.
    private const int LossSlot = 0;
    private const int CrossEntropySlot = 1;
    private const int KlSlot = 2;
    private const int DiffusionSlot = 3;
    private const int WeightSlot = 4;
    private const int Slots = 5;

    private readonly Tensor _sums;

    public LossAccumulator(ScalarType type, Device device) => _sums = NativeLifetime.Own(zeros(Slots, dtype: type, device: device));

    /// <summary>Adds one batch's terms.</summary>
    public void Add(SpibObjective.Terms terms)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor[] slots = [terms.Loss, terms.CrossEntropy, terms.Kl, terms.Diffusion, ones_like(terms.Loss)];
        _sums.PlusInPlace(stack(slots) * terms.WeightSum);
    }

    /// <summary>The weighted means of everything added.</summary>
    public LossTotals Totals()
    {
        using var scope = NewDisposeScope();
        var values = _sums.to(ScalarType.Float64).cpu().data<double>().ToArray();
        var weight = values[WeightSlot];
        return new LossTotals(values[LossSlot] / weight, values[CrossEntropySlot] / weight, values[KlSlot] / weight, values[DiffusionSlot] / weight);
    }

    public void Dispose() => _sums.Dispose();
}
