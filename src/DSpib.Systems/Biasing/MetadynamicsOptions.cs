namespace DSpib.Systems.Biasing;

/// <summary>Settings of well-tempered metadynamics along a one-dimensional collective variable.</summary>
public sealed record MetadynamicsOptions
{
    /// <summary>k_B T of the simulation (positive).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Bias factor gamma = (T + Delta T) / T (above 1): hills shrink as exp(-V / (k_B Delta T)).</summary>
    public double BiasFactor { get; init; } = 10.0;

    /// <summary>Initial hill height w_0, in energy units (positive).</summary>
    public double Height { get; init; } = 0.5;

    /// <summary>Hill width sigma along the collective variable (positive).</summary>
    public double Width { get; init; } = 0.1;

    /// <summary>Force evaluations of a walker between its hills (at least 1).</summary>
    public int Stride { get; init; } = 500;

    /// <summary>Lower end of the grid the bias is stored on.</summary>
    public double GridMinimum { get; init; } = -1.0;

    /// <summary>Upper end of the grid (above <see cref="GridMinimum"/>).</summary>
    public double GridMaximum { get; init; } = 1.0;

    /// <summary>Grid intervals (at least 2); the spacing should be well below <see cref="Width"/>.</summary>
    public int GridBins { get; init; } = 400;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Positive(Temperature, nameof(Temperature));
        Positive(Height, nameof(Height));
        Positive(Width, nameof(Width));
        if (!(BiasFactor > 1) || !double.IsFinite(BiasFactor))
        {
            throw new ArgumentOutOfRangeException(nameof(BiasFactor), BiasFactor, "BiasFactor must be finite and above 1.");
        }

        if (Stride < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Stride), Stride, "Stride must be at least 1.");
        }

        if (GridBins < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(GridBins), GridBins, "GridBins must be at least 2.");
        }

        if (!double.IsFinite(GridMinimum) || !double.IsFinite(GridMaximum) || !(GridMaximum > GridMinimum))
        {
            throw new ArgumentOutOfRangeException(nameof(GridMaximum), GridMaximum, "The grid needs finite ends with GridMaximum above GridMinimum.");
        }
    }

    private static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }
}
