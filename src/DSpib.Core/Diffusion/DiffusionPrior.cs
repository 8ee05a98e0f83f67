using System.Collections.Concurrent;
using System.Globalization;
using DSpib.Analysis;
using DSpib.Internal;
using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// A temperature-conditioned diffusion model p(z | T) of a trained D-SPIB model's latent space: latent samples, exact
/// log-densities and free energies at any temperature, including ones it was not trained at. A D-SPIB model has two
/// (the SPIB baseline none), which differ in the variable they describe (<see cref="Variable"/>): the bottleneck's
/// prior <see cref="DSpibModel.Diffusion"/> describes its noisy latent samples, and
/// <see cref="DSpibModel.CollectiveVariableDiffusion"/> the encoder means, the collective variable.
/// </summary>
/// <remarks>
/// To compare with frames encoded by <see cref="DSpibModel.Encode(double[,])"/> (free energies along the collective
/// variable, state populations), use <see cref="DSpibModel.CollectiveVariableDiffusion"/>; its samples and the
/// encoded frames are the same variable. The bottleneck's prior matches <see cref="DSpibModel.SamplePosterior"/>
/// instead (see docs/concepts.md).
/// </remarks>
public sealed class DiffusionPrior
{
    /// <summary>Grid points per latent dimension when a method builds its own grid.</summary>
    private const int DefaultGridPoints = 100;

    /// <summary>Above this ratio of edge to peak density a marginal grid is reported as cutting off probability.</summary>
    private const double TruncationRatio = 1e-3;

    private readonly IDiffusionPriorOwner _owner;

    // Temperatures already warned about, so that a loop over one temperature logs once.
    private readonly ConcurrentDictionary<double, bool> _extrapolationsLogged = new();

    internal DiffusionPrior(DiffusionPriorOptions options, int latentDimension, LatentVariable variable, IDiffusionPriorOwner owner)
    {
        Options = options;
        Variable = variable;
        LatentDimension = latentDimension;
        _owner = owner;
    }

    /// <summary>The SDE and score network the prior was built with.</summary>
    public DiffusionPriorOptions Options { get; }

    /// <summary>The variable it describes: the bottleneck's latent samples or the encoder means.</summary>
    public LatentVariable Variable { get; }

    /// <summary>
    /// Whether it can be used: the model is trained and has it. A model trained with
    /// <c>WithCollectiveVariablePrior(0)</c>, cancelled before the end, or read from a file that predates it has no
    /// collective-variable prior.
    /// </summary>
    public bool IsAvailable => _owner.HasDiffusion(Variable);

    /// <summary>Dimension of the latent space it lives in.</summary>
    public int LatentDimension { get; }

    /// <summary>
    /// How far the prior may extrapolate: temperatures up to this factor above the highest training temperature, or
    /// below the lowest, are generated with a warning; farther ones are refused. On LJ7 trained at k_B T = 0.2 and 0.5,
    /// the free-energy error at 1.2 times the highest is that of the unseen temperatures inside the range and at 1.4
    /// times about twice it (docs/results.md); far beyond, samples diverge.
    /// </summary>
    public const double ExtrapolationLimit = 2.0;

    /// <summary>The temperatures the prior was trained at, lowest first (empty before training, or from a file that predates them).</summary>
    public IReadOnlyList<double> TrainingTemperatures => _owner.TrainingTemperatures;

    /// <summary>T_ref of the temperature law: the SDE's own, or the lowest training temperature (throws before training).</summary>
    public double ReferenceTemperature => _owner.TrainedDiffusion(Variable).ReferenceTemperature;

    /// <summary>The noise scale lambda(T) of the temperature law (throws before training).</summary>
    /// <param name="temperature">k_B T (positive).</param>
    public double Lambda(double temperature) => _owner.TrainedDiffusion(Variable).Lambda(temperature);

    /// <summary>
    /// Generates latent samples at any temperature. Samples are drawn in batches, seeded, with progress and
    /// cancellation between batches.
    /// </summary>
    /// <param name="count">Number of samples (at least 1).</param>
    /// <param name="temperature">k_B T to generate at (positive).</param>
    /// <param name="sampler">How to sample (default: <see cref="SamplerOptions.DefaultFor"/> the model's SDE).</param>
    /// <param name="seed">Seed of the draw; the same seed gives the same samples.</param>
    /// <param name="progress">Receives the fraction done after each batch (optional).</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>Count x <see cref="LatentDimension"/> latent samples.</returns>
    /// <exception cref="OperationCanceledException">The token was cancelled; nothing is returned.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is beyond <see cref="ExtrapolationLimit"/> of the training temperatures.</exception>
    /// <exception cref="InvalidOperationException">A generated value is NaN or infinite (the model is not usable at this temperature); nothing is returned.</exception>
    public double[,] Sample(int count, double temperature, SamplerOptions? sampler = null, int seed = 42, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        Require.AtLeast(count, 1, nameof(count), "ask for at least one sample");
        sampler ??= SamplerOptions.DefaultFor(Options.Sde);
        sampler.Validate();
        Require.That(sampler is not AncestralSampler || Options.Sde.IsDiscrete, nameof(sampler), sampler, "needs the discrete form of the SDE", "use SamplerOptions.ReverseSde() or ProbabilityFlow() with a continuous SDE");
        CheckTemperature(temperature);
        using var call = NativeLifetime.Enter(_owner);
        var network = _owner.TrainedDiffusion(Variable);
        network.Lambda(temperature);
        var result = new double[count, LatentDimension];
        Generation.Sample(network, ArrayViews.AsSpan(result), LatentDimension, temperature, seed, sampler, _owner.Backend.ScalarType, _owner.Backend.Device, progress, cancellationToken);
        EnsureFinite(ArrayViews.AsReadOnlySpan(result), LatentDimension, "generated sample", temperature);
        return result;
    }

    /// <summary>
    /// Exact log-densities log p(z | T) at latent points, from the probability-flow ODE with the exact divergence
    /// (fixed-step RK4). The free energy in k_B T units is F(z | T) = -log p(z | T) (multiply by k_B T for energy
    /// units), as <see cref="FreeEnergySurface"/> and <see cref="FreeEnergyProfile"/> return it.
    /// </summary>
    /// <param name="latent">Points x <see cref="LatentDimension"/> latent coordinates.</param>
    /// <param name="temperature">k_B T (positive).</param>
    /// <param name="steps">RK4 steps (at least 1).</param>
    /// <returns>log p at each point, in nats.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is beyond <see cref="ExtrapolationLimit"/> of the training temperatures.</exception>
    /// <exception cref="InvalidOperationException">A log-density is NaN or infinite; nothing is returned.</exception>
    public double[] LogDensity(double[,] latent, double temperature, int steps = 100)
    {
        EnsureLatentWidth(latent, nameof(latent));
        Require.AtLeast(steps, 1, nameof(steps), "use at least one RK4 step");
        CheckTemperature(temperature);
        using var call = NativeLifetime.Enter(_owner);
        var network = _owner.TrainedDiffusion(Variable);
        var logDensity = FreeEnergyEvaluation.LogDensity(network, network.Sde, latent, temperature, network.Lambda(temperature), steps, _owner.Backend.ScalarType, _owner.Backend.Device);
        EnsureFinite(logDensity, 1, "log-density", temperature);
        return logDensity;
    }

    /// <summary>
    /// The exact free-energy surface F(z | T) = -ln p(z | T), in k_B T units with minimum 0, of a two-dimensional latent
    /// space on the grid <paramref name="x"/> by <paramref name="y"/>. <see cref="Analysis.FreeEnergySurface.Evaluate"/>
    /// interpolates it with its gradient between the grid points, for example to bias a simulation along the variable.
    /// </summary>
    /// <param name="temperature">k_B T (positive).</param>
    /// <param name="x">Grid along z_1 (default: 100 points over the training data's latent range with a quarter of it added on each side).</param>
    /// <param name="y">Grid along z_2 (default: likewise).</param>
    /// <param name="steps">RK4 steps of the probability-flow ODE.</param>
    public FreeEnergySurface FreeEnergySurface(double temperature, IReadOnlyList<double>? x = null, IReadOnlyList<double>? y = null, int steps = 100)
    {
        Require.That(LatentDimension == 2, nameof(LatentDimension), LatentDimension, "must be 2 for a free-energy surface", "use FreeEnergyProfile for one coordinate");
        Require.AtLeast(steps, 1, nameof(steps), "use at least one RK4 step");
        var xGrid = GridOrDefault(x, 0, nameof(x));
        var yGrid = GridOrDefault(y, 1, nameof(y));
        CheckTemperature(temperature);
        using var call = NativeLifetime.Enter(_owner);
        var network = _owner.TrainedDiffusion(Variable);
        return FreeEnergyEvaluation.Surface(network, network.Sde, xGrid, yGrid, temperature, network.Lambda(temperature), steps, _owner.Backend.ScalarType, _owner.Backend.Device);
    }

    /// <summary>
    /// The exact free-energy profile F(z_d | T) = -ln p(z_d | T) along one latent coordinate, in k_B T units with
    /// minimum 0: the other coordinates are integrated out numerically over <paramref name="marginalGrid"/>. When the
    /// density at the marginal grid's edges is above 1e-3 of its peak, the grid cuts off probability and a warning is
    /// logged. <see cref="Analysis.FreeEnergyProfile.Evaluate"/> interpolates it with its derivative between the grid
    /// points, for example to bias a simulation along the coordinate.
    /// </summary>
    /// <param name="dimension">Zero-based latent coordinate.</param>
    /// <param name="temperature">k_B T (positive).</param>
    /// <param name="grid">Grid along that coordinate (default: 100 points over the training data's latent range with a quarter of it added on each side).</param>
    /// <param name="marginalGrid">Grid for each of the other coordinates (default: likewise, over the widest of their ranges).</param>
    /// <param name="steps">RK4 steps of the probability-flow ODE.</param>
    public FreeEnergyProfile FreeEnergyProfile(int dimension, double temperature, IReadOnlyList<double>? grid = null, IReadOnlyList<double>? marginalGrid = null, int steps = 100)
    {
        Require.InRange(dimension, 0, true, LatentDimension - 1, true, nameof(dimension), $"use a latent coordinate from 0 to {LatentDimension - 1}");
        Require.AtLeast(steps, 1, nameof(steps), "use at least one RK4 step");
        var along = GridOrDefault(grid, dimension, nameof(grid));
        var across = marginalGrid is not null || LatentDimension == 1
            ? GridOrDefault(marginalGrid ?? along, dimension, nameof(marginalGrid))
            : Enumerable.Range(0, LatentDimension).Where(d => d != dimension).Select(d => GridOrDefault(null, d, nameof(marginalGrid))).MaxBy(g => g[^1] - g[0])!;
        CheckTemperature(temperature);
        using var call = NativeLifetime.Enter(_owner);
        var network = _owner.TrainedDiffusion(Variable);
        var (profile, edgeRatio) = FreeEnergyEvaluation.Profile(network, network.Sde, LatentDimension, dimension, along, across, temperature, network.Lambda(temperature), steps, _owner.Backend.ScalarType, _owner.Backend.Device);
        if (edgeRatio > TruncationRatio)
        {
            DiffusionLog.MarginalGridTruncates(_owner.Logger, dimension + 1, string.Create(CultureInfo.InvariantCulture, $"{across[0]:G4} to {across[^1]:G4}"), edgeRatio);
        }

        return profile;
    }

    /// <summary>
    /// Refuses a temperature that is not positive, or beyond <see cref="ExtrapolationLimit"/> of the training range;
    /// warns once per temperature outside the training range.
    /// </summary>
    private void CheckTemperature(double temperature)
    {
        try
        {
            CheckTemperatureRange(temperature);
        }
        catch (Exception exception) when (FailureLog.Record(_owner.Logger, "The diffusion prior", exception))
        {
            throw;
        }
    }

    private void CheckTemperatureRange(double temperature)
    {
        Require.Positive(temperature, nameof(temperature), "give k_B T in the units of the training temperatures");
        var trained = _owner.TrainingTemperatures;
        if (trained.Count == 0)
        {
            return;
        }

        var (lowest, highest) = (trained.Min(), trained.Max());
        if (temperature > highest * ExtrapolationLimit || temperature < lowest / ExtrapolationLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(temperature),
                temperature,
                string.Create(CultureInfo.InvariantCulture, $"k_B T = {temperature:G4} is too far from the training temperatures ({lowest:G4} to {highest:G4}): the prior generates from {lowest / ExtrapolationLimit:G4} to {highest * ExtrapolationLimit:G4} (a factor {ExtrapolationLimit} beyond the range) and is accurate inside the range. Train with data at or nearer to this temperature."));
        }

        if ((temperature < lowest || temperature > highest) && _extrapolationsLogged.TryAdd(temperature, true))
        {
            DiffusionLog.Extrapolating(_owner.Logger, temperature, lowest, highest);
        }
    }

    /// <summary>Throws, and logs, when a result the prior computed is NaN or infinite: never returned silently.</summary>
    private void EnsureFinite(ReadOnlySpan<double> values, int width, string what, double temperature)
    {
        var bad = 0;
        foreach (var value in values)
        {
            bad += double.IsFinite(value) ? 0 : 1;
        }

        if (bad == 0)
        {
            return;
        }

        var description = string.Create(CultureInfo.InvariantCulture, $"{bad} of the {values.Length / width} {what} values at k_B T = {temperature:G4} are NaN or infinite, so none is returned: the diffusion prior is not usable here. Check that the model trained to a finite loss (DSpibModel.Training), and generate nearer to the training temperatures ({string.Join(", ", _owner.TrainingTemperatures.Select(t => t.ToString("G4", CultureInfo.InvariantCulture)))}).");
        DiffusionLog.NonFinite(_owner.Logger, description);
        throw FailureLog.MarkLogged(new InvalidOperationException(description));
    }

    /// <summary>The given grid checked, or the default one along <paramref name="dimension"/>.</summary>
    private double[] GridOrDefault(IReadOnlyList<double>? grid, int dimension, string argumentName)
    {
        if (grid is not null)
        {
            var points = grid.ToArray();
            Require.That(points.Length >= 2 && points.All(double.IsFinite), argumentName, $"{points.Length} points", "needs at least two finite points", "give a grid of at least two points");
            return points;
        }

        var bounds = _owner.LatentBounds ?? throw new ArgumentException($"The model does not know the range of its training data (its file predates it), so {argumentName} must be given.", argumentName);
        var low = bounds.Minimum[dimension];
        var high = bounds.Maximum[dimension];
        var margin = 0.25 * Math.Max(high - low, 1e-6);
        return Enumerable.Range(0, DefaultGridPoints).Select(i => low - margin + ((high - low + (2 * margin)) * i / (DefaultGridPoints - 1))).ToArray();
    }

    private void EnsureLatentWidth(double[,] latent, string argumentName)
    {
        Require.NotNull(latent, argumentName, "give points x latent dimensions");
        Require.That(latent.GetLength(1) == LatentDimension, argumentName, $"{latent.GetLength(1)} coordinates", $"must have {LatentDimension} coordinates per point, as the latent space", "give one column per latent dimension");
        Require.That(ArrayViews.AsReadOnlySpan(latent).IndexOfAnyExceptInRange(double.MinValue, double.MaxValue) < 0, argumentName, "a NaN or infinite coordinate", "must hold finite coordinates only", "remove or repair those points");
    }
}
