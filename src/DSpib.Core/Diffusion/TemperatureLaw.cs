namespace DSpib.Diffusion;

/// <summary>
/// How the noise scale lambda(T) of the diffusion prior depends on temperature: the stationary law of the forward
/// process is N(0, lambda(T)^2 I), so lambda sets how wide the prior is at each temperature.
/// </summary>
public sealed class TemperatureLaw
{
    private readonly Func<double, double> _ofRatio;

    private TemperatureLaw(string name, Func<double, double> ofRatio)
    {
        Name = name;
        _ofRatio = ofRatio;
    }

    /// <summary>lambda = T / T_ref: standard deviation proportional to temperature (the reference implementation's law).</summary>
    public static TemperatureLaw Linear { get; } = new("linear", r => r);

    /// <summary>lambda = sqrt(T / T_ref): variance proportional to temperature, as equipartition suggests for harmonic wells.</summary>
    public static TemperatureLaw SquareRoot { get; } = new("sqrt", Math.Sqrt);

    /// <summary>A short name for reports and model files.</summary>
    public string Name { get; }

    /// <summary>A user-defined law of the temperature ratio T / T_ref.</summary>
    /// <param name="name">A short name for reports.</param>
    /// <param name="ofRatio">lambda as a function of T / T_ref; must be positive and finite for positive ratios.</param>
    public static TemperatureLaw Custom(string name, Func<double, double> ofRatio)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(ofRatio);
        return new TemperatureLaw(name, ofRatio);
    }

    /// <summary>lambda(T) for a reference temperature T_ref.</summary>
    /// <param name="temperature">k_B T (positive).</param>
    /// <param name="referenceTemperature">T_ref (positive), by default the lowest training temperature.</param>
    public double Scale(double temperature, double referenceTemperature)
    {
        if (!(temperature > 0) || !double.IsFinite(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive and finite.");
        }

        if (!(referenceTemperature > 0) || !double.IsFinite(referenceTemperature))
        {
            throw new ArgumentOutOfRangeException(nameof(referenceTemperature), referenceTemperature, "The reference temperature must be positive and finite.");
        }

        var scale = _ofRatio(temperature / referenceTemperature);
        return scale > 0 && double.IsFinite(scale)
            ? scale
            : throw new InvalidOperationException($"The temperature law '{Name}' gave lambda = {scale} at T / T_ref = {temperature / referenceTemperature}; it must be positive and finite.");
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
