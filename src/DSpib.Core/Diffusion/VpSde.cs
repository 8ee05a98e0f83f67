using DSpib.Internal;

namespace DSpib.Diffusion;

/// <summary>
/// The variance-preserving SDE dz = -1/2 beta(t) z dt + lambda sqrt(beta(t)) dW on t in [0, 1], with the linear
/// schedule beta(t) = beta_min + t (beta_max - beta_min). Its marginal is
/// z_t | z_0 ~ N(m(t) z_0, lambda^2 s(t)^2 I), m(t) = exp(-B(t) / 2), s(t)^2 = 1 - exp(-B(t)),
/// B(t) = beta_min t + (beta_max - beta_min) t^2 / 2, and its stationary law is N(0, lambda^2 I).
/// </summary>
/// <remarks>
/// The discrete (DDPM) form with N steps and beta_i = linspace(beta_start, beta_end, N) is the same SDE with
/// beta_min = N beta_start and beta_max = N beta_end, step i sitting at time (i + 1) / N. Build either with
/// <see cref="Create"/>. Two SDEs with the same parameters and the same temperature law are equal.
/// </remarks>
public sealed class VpSde : IEquatable<VpSde>
{
    private readonly double[] _discreteBetas;
    private readonly double[] _alphaBars;

    internal VpSde(double betaMin, double betaMax, double smallestTime, int steps, double betaStart, double betaEnd, TemperatureLaw law, double? referenceTemperature)
    {
        BetaMin = betaMin;
        BetaMax = betaMax;
        SmallestTime = smallestTime;
        Steps = steps;
        BetaStart = betaStart;
        BetaEnd = betaEnd;
        TemperatureLaw = law;
        ReferenceTemperature = referenceTemperature;
        // An invalid step count is reported by Validate, not by the array allocation.
        _discreteBetas = new double[Math.Max(steps, 0)];
        _alphaBars = new double[Math.Max(steps, 0)];
        if (steps > 0)
        {
            var product = 1.0;
            for (var i = 0; i < steps; i++)
            {
                _discreteBetas[i] = steps == 1 ? betaStart : betaStart + ((betaEnd - betaStart) * i / (steps - 1));
                product *= 1 - _discreteBetas[i];
                _alphaBars[i] = product;
            }
        }
    }

    /// <summary>Starts a fluent builder (continuous, beta_min 0.1, beta_max 20, smallest time 1e-3, square-root temperature law).</summary>
    public static VpSdeBuilder Create() => new();

    /// <summary>beta(0).</summary>
    public double BetaMin { get; }

    /// <summary>beta(1).</summary>
    public double BetaMax { get; }

    /// <summary>The smallest time used in training and sampling of the continuous form (avoids the singular score at t = 0).</summary>
    public double SmallestTime { get; }

    /// <summary>Number of steps of the discrete (DDPM) form; 0 for the continuous form.</summary>
    public int Steps { get; }

    /// <summary>Whether this is the discrete (DDPM) form.</summary>
    public bool IsDiscrete => Steps != 0;

    /// <summary>beta_0 of the discrete form (NaN for the continuous form).</summary>
    public double BetaStart { get; }

    /// <summary>beta_{N-1} of the discrete form (NaN for the continuous form).</summary>
    public double BetaEnd { get; }

    /// <summary>The law lambda(T) of the noise scale.</summary>
    public TemperatureLaw TemperatureLaw { get; }

    /// <summary>T_ref of the temperature law, or <see langword="null"/> for the lowest training temperature.</summary>
    public double? ReferenceTemperature { get; }

    /// <summary>beta(t) = beta_min + t (beta_max - beta_min).</summary>
    /// <param name="t">Time in [0, 1].</param>
    public double Beta(double t) => BetaMin + (t * (BetaMax - BetaMin));

    /// <summary>B(t) = integral of beta from 0 to t.</summary>
    /// <param name="t">Time in [0, 1].</param>
    public double IntegratedBeta(double t) => (BetaMin * t) + (0.5 * (BetaMax - BetaMin) * t * t);

    /// <summary>m(t) = exp(-B(t) / 2): how much of z_0 is left in the mean at time t.</summary>
    /// <param name="t">Time in [0, 1].</param>
    public double MeanScale(double t) => Math.Exp(-0.5 * IntegratedBeta(t));

    /// <summary>s(t) = sqrt(1 - exp(-B(t))): the marginal standard deviation at time t for lambda = 1.</summary>
    /// <param name="t">Time in [0, 1].</param>
    public double NoiseScale(double t) => Math.Sqrt(-MathNet.Numerics.SpecialFunctions.Expm1(-IntegratedBeta(t)));

    /// <summary>Mean and standard deviation of z_t given z_0 (per coordinate).</summary>
    /// <param name="z0">The starting value of one coordinate.</param>
    /// <param name="t">Time in [0, 1].</param>
    /// <param name="lambda">The noise scale lambda(T).</param>
    public (double Mean, double StandardDeviation) Marginal(double z0, double t, double lambda) => (MeanScale(t) * z0, lambda * NoiseScale(t));

    /// <summary>The drift -1/2 beta(t) z of one coordinate.</summary>
    /// <param name="z">The coordinate.</param>
    /// <param name="t">Time in [0, 1].</param>
    public double Drift(double z, double t) => -0.5 * Beta(t) * z;

    /// <summary>The diffusion coefficient lambda sqrt(beta(t)).</summary>
    /// <param name="t">Time in [0, 1].</param>
    /// <param name="lambda">The noise scale lambda(T).</param>
    public double Diffusion(double t, double lambda) => lambda * Math.Sqrt(Beta(t));

    /// <summary>Standard deviation of the prior N(0, lambda^2 I) the reverse process starts from.</summary>
    /// <param name="lambda">The noise scale lambda(T).</param>
    public static double PriorStandardDeviation(double lambda) => lambda;

    /// <summary>beta_i of the discrete form.</summary>
    /// <param name="step">Step index in 0..Steps-1.</param>
    public double DiscreteBeta(int step) => _discreteBetas[CheckStep(step)];

    /// <summary>alpha_bar_i = prod_{j &lt;= i} (1 - beta_j) of the discrete form.</summary>
    /// <param name="step">Step index in 0..Steps-1.</param>
    public double AlphaBar(int step) => _alphaBars[CheckStep(step)];

    /// <summary>The time (i + 1) / N of discrete step i.</summary>
    /// <param name="step">Step index in 0..Steps-1.</param>
    public double TimeOfStep(int step) => (CheckStep(step) + 1.0) / Steps;

    /// <summary>The discrete step whose time is nearest to <paramref name="t"/>.</summary>
    /// <param name="t">Time in (0, 1].</param>
    public int StepOfTime(double t)
    {
        EnsureDiscrete();
        return Math.Clamp((int)Math.Round((t * Steps) - 1), 0, Steps - 1);
    }

    /// <summary>lambda(T) with this SDE's law and reference temperature (or <paramref name="fallbackReference"/> when none was set).</summary>
    /// <param name="temperature">k_B T.</param>
    /// <param name="fallbackReference">T_ref to use when <see cref="ReferenceTemperature"/> is not set (the lowest training temperature).</param>
    public double Lambda(double temperature, double fallbackReference) =>
        TemperatureLaw.Scale(temperature, ReferenceTemperature ?? fallbackReference);

    /// <summary>Throws <see cref="ArgumentException"/>, naming the parameter, unless the SDE is valid.</summary>
    public void Validate()
    {
        Require.NotNull(TemperatureLaw, nameof(TemperatureLaw), "use TemperatureLaw.Linear, SquareRoot or Custom(...) in WithTemperatureLaw");
        if (ReferenceTemperature is double reference)
        {
            Require.Positive(reference, nameof(ReferenceTemperature), "give a positive k_B T in WithReferenceTemperature, or leave it out for the lowest training temperature");
        }

        if (IsDiscrete)
        {
            Require.AtLeast(Steps, 2, nameof(Steps), "use at least 2 steps in Discrete(...)");
            Require.InRange(BetaStart, 0, false, 1, false, nameof(BetaStart), "use a beta_start in (0, 1) in Discrete(...), 1e-4 for the reference");
            Require.InRange(BetaEnd, BetaStart, true, 1, false, nameof(BetaEnd), "use a beta_end in [beta_start, 1) in Discrete(...), 0.2 for the reference");
            return;
        }

        Require.Positive(BetaMin, nameof(BetaMin), "use a positive beta_min in Continuous(...), such as 0.1");
        Require.That(BetaMax > BetaMin && double.IsFinite(BetaMax), nameof(BetaMax), BetaMax, "must be finite and larger than beta_min", "use a beta_max such as 20 in Continuous(...)");
        Require.InRange(SmallestTime, 0, false, 0.1, true, nameof(SmallestTime), "use a smallest time in (0, 0.1] in Continuous(...), 1e-3 to 1e-5 being usual");
    }

    /// <inheritdoc />
    public bool Equals(VpSde? other) =>
        other is not null
        && BetaMin.Equals(other.BetaMin) && BetaMax.Equals(other.BetaMax) && SmallestTime.Equals(other.SmallestTime)
        && Steps == other.Steps && BetaStart.Equals(other.BetaStart) && BetaEnd.Equals(other.BetaEnd)
        && ReferenceEquals(TemperatureLaw, other.TemperatureLaw) && ReferenceTemperature == other.ReferenceTemperature;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as VpSde);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(BetaMin, BetaMax, SmallestTime, Steps, BetaStart, BetaEnd, TemperatureLaw, ReferenceTemperature);

    private int CheckStep(int step)
    {
        EnsureDiscrete();
        if (step < 0 || step >= Steps)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"The step index must be in 0..{Steps - 1}.");
        }

        return step;
    }

    private void EnsureDiscrete()
    {
        if (!IsDiscrete)
        {
            throw new InvalidOperationException("This VP-SDE is continuous; build it with VpSde.Create().Discrete(...) for step-indexed (DDPM) quantities.");
        }
    }
}
