namespace DSpib.Diffusion;

/// <summary>
/// Fluent builder of a <see cref="VpSde"/>. Like every builder of the library it only records settings;
/// <see cref="Build"/> validates them and may be called again, each time returning a new SDE.
/// </summary>
public sealed class VpSdeBuilder
{
    private double _betaMin = 0.1;
    private double _betaMax = 20;
    private double _smallestTime = 1e-3;
    private int _steps;
    private double _betaStart = double.NaN;
    private double _betaEnd = double.NaN;
    private TemperatureLaw _law = TemperatureLaw.SquareRoot;
    private double? _referenceTemperature;

    internal VpSdeBuilder()
    {
    }

    /// <summary>The continuous VP-SDE (the default).</summary>
    /// <param name="betaMin">beta(0), positive (0.1 or 0.01 are usual).</param>
    /// <param name="betaMax">beta(1), above <paramref name="betaMin"/> (20 is usual).</param>
    /// <param name="smallestTime">Smallest time used, in (0, 0.1] (1e-3 to 1e-5 are usual).</param>
    public VpSdeBuilder Continuous(double betaMin = 0.1, double betaMax = 20, double smallestTime = 1e-3)
    {
        (_betaMin, _betaMax, _smallestTime, _steps, _betaStart, _betaEnd) = (betaMin, betaMax, smallestTime, 0, double.NaN, double.NaN);
        return this;
    }

    /// <summary>The discrete DDPM form: beta_i = linspace(beta_start, beta_end, steps) (reference: 100, 1e-4, 0.2).</summary>
    /// <param name="steps">Number of steps N (at least 2).</param>
    /// <param name="betaStart">beta_0, in (0, 1).</param>
    /// <param name="betaEnd">beta_{N-1}, in [beta_start, 1).</param>
    public VpSdeBuilder Discrete(int steps = 100, double betaStart = 1e-4, double betaEnd = 0.2)
    {
        // The same SDE as the continuous form with beta_min = N beta_start and beta_max = N beta_end.
        (_betaMin, _betaMax, _smallestTime, _steps, _betaStart, _betaEnd) = (steps * betaStart, steps * betaEnd, 1.0 / steps, steps, betaStart, betaEnd);
        return this;
    }

    /// <summary>
    /// The reference implementation's SDE: the discrete form with 100 steps, beta from 1e-4 to 0.2, and the linear
    /// temperature law lambda = T / T_ref.
    /// </summary>
    public VpSdeBuilder Reference() => Discrete(100, 1e-4, 0.2).WithTemperatureLaw(TemperatureLaw.Linear);

    /// <summary>
    /// The law lambda(T) of the noise scale (default <see cref="TemperatureLaw.SquareRoot"/>, which transferred best
    /// between temperatures on LJ7, docs/results.md; the reference's is <see cref="TemperatureLaw.Linear"/>).
    /// </summary>
    /// <param name="law">The law.</param>
    public VpSdeBuilder WithTemperatureLaw(TemperatureLaw law)
    {
        _law = law;
        return this;
    }

    /// <summary>T_ref of the temperature law (default: the lowest training temperature).</summary>
    /// <param name="temperature">Positive k_B T.</param>
    public VpSdeBuilder WithReferenceTemperature(double temperature)
    {
        _referenceTemperature = temperature;
        return this;
    }

    /// <summary>Validates the settings and creates the SDE.</summary>
    /// <exception cref="ArgumentException">A setting is not valid; the exception names it.</exception>
    public VpSde Build()
    {
        var sde = new VpSde(_betaMin, _betaMax, _smallestTime, _steps, _betaStart, _betaEnd, _law, _referenceTemperature);
        sde.Validate();
        return sde;
    }
}
