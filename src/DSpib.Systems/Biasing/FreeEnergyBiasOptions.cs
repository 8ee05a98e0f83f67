namespace DSpib.Systems.Biasing;

/// <summary>Settings of a <see cref="FreeEnergyBias"/>: U_bias(s) = -<see cref="Factor"/> k_B T F(s), with F capped at <see cref="Cap"/>.</summary>
public sealed record FreeEnergyBiasOptions
{
    /// <summary>k_B T of the simulation, in the potential's energy units (positive): F is in k_B T units, U_bias in energy units.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>
    /// The fraction of F the bias removes, from 0 to 1. At 1 the biased free energy along s is flat (wherever F is below
    /// the cap); 1 - 1/gamma leaves F/gamma, as well-tempered metadynamics with bias factor gamma converges to. Above 1
    /// the wells would become barriers, and below 0 the bias would deepen them, so both are refused.
    /// </summary>
    public double Factor { get; init; } = 1.0;

    /// <summary>
    /// The largest F, in k_B T, the bias follows (positive), or <see langword="null"/> for none: F above it, and
    /// +infinity where the density is 0, count as the cap, so the bias stays finite and pushes no further into regions
    /// the free energy calls improbable. Without a cap, +infinity counts as the largest finite value of the table.
    /// </summary>
    public double? Cap { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range and how to set it.</summary>
    public void Validate()
    {
        if (!double.IsFinite(Temperature) || Temperature <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be positive and finite: give k_B T of the simulation in the potential's energy units (LangevinOptions.Temperature).");
        }

        if (!(Factor >= 0 && Factor <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Factor), Factor, "Factor must be in [0, 1]: 1 flattens F along the variable, 1 - 1/gamma is the well-tempered choice for a bias factor gamma.");
        }

        if (Cap is { } cap && (!double.IsFinite(cap) || cap <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Cap), cap, "Cap must be positive and finite (in k_B T, above the free energy's minimum of 0), or null for no cap.");
        }
    }
}
