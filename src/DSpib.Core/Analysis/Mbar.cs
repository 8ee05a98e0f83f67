using MathNet.Numerics.LinearAlgebra;

namespace DSpib.Analysis;

/// <summary>
/// The multistate Bennett acceptance ratio (MBAR): free energies of sampled thermodynamic states from the samples of
/// all of them, and Boltzmann weights of the pooled samples for any other state, for example another temperature.
/// The multistate-reweighting baseline against which a temperature-conditioned model is compared.
/// </summary>
/// <remarks>
/// <para>
/// Implements Shirts and Chodera, "Statistically optimal analysis of samples from multiple equilibrium states",
/// J. Chem. Phys. 129, 124105 (2008). State k was sampled N_k times; u_k(x) is its reduced potential (for temperatures,
/// u_k(x) = U(x) / (k_B T_k)). The dimensionless free energies solve
/// f_i = -ln sum_n exp(-u_i(x_n)) / sum_k N_k exp(f_k - u_k(x_n)) over all N pooled samples, with f_0 = 0. They are
/// found by the self-consistent iteration of that equation, with a Newton step on MBAR's convex objective (Hessian
/// from the paper's eq. C9, on the K-1 free energies after fixing f_0) whenever it reduces the residual more; all sums
/// are log-sum-exp. A target state t then gives each sample the weight
/// w_n = exp(-u_t(x_n)) / sum_k N_k exp(f_k - u_k(x_n)), normalised. There was no maintained .NET package for MBAR
/// when this was written, hence this implementation.
/// </para>
/// <para>
/// The samples are assumed uncorrelated; correlated MD frames still give consistent estimates, but the effective
/// number of samples (<see cref="EffectiveSampleSize"/>) overstates the information. Reweighting to a temperature far
/// outside the sampled ones, or between states whose energy distributions do not overlap, concentrates the weight on a
/// few samples: check the effective sample size.
/// </para>
/// </remarks>
public sealed class Mbar
{
    /// <summary>The Boltzmann constant in kJ/(mol K), GROMACS's energy unit.</summary>
    public const double BoltzmannKJPerMolK = 0.0083144626181532;

    private readonly double[,] _reduced;
    private readonly int[] _counts;
    private readonly double[] _freeEnergies;
    private readonly double[] _logDenominator;
    private readonly double[]? _energies;
    private readonly double _boltzmann;

    private Mbar(double[,] reduced, int[] counts, double[] freeEnergies, double[] logDenominator, int iterations, double[]? energies, double boltzmann)
    {
        _reduced = reduced;
        _counts = counts;
        _freeEnergies = freeEnergies;
        _logDenominator = logDenominator;
        _energies = energies;
        _boltzmann = boltzmann;
        Iterations = iterations;
    }

    /// <summary>The dimensionless free energy f_k of each sampled state, f_0 = 0.</summary>
    public IReadOnlyList<double> FreeEnergies => _freeEnergies;

    /// <summary>The number of samples of each state.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>The total number of pooled samples N.</summary>
    public int SampleCount => _logDenominator.Length;

    /// <summary>Iterations the solution took.</summary>
    public int Iterations { get; }

    /// <summary>
    /// Solves MBAR from the reduced potentials of every sample in every sampled state.
    /// </summary>
    /// <param name="reducedPotentials">u_k(x_n), states x samples: the samples of state 0 first, then those of state 1, and so on.</param>
    /// <param name="counts">N_k, the samples drawn from each state (they add up to the number of samples).</param>
    /// <param name="tolerance">Stop when every state's weights sum to 1 within this (sum_n W_nk - 1, MBAR's self-consistency).</param>
    /// <param name="maxIterations">Give up after this many iterations.</param>
    /// <exception cref="ArgumentException">Shapes that do not match, a state without samples, or a non-finite reduced potential.</exception>
    /// <exception cref="InvalidOperationException">The iteration did not converge.</exception>
    public static Mbar Solve(double[,] reducedPotentials, IReadOnlyList<int> counts, double tolerance = 1e-10, int maxIterations = 10_000)
    {
        ArgumentNullException.ThrowIfNull(reducedPotentials);
        ArgumentNullException.ThrowIfNull(counts);
        return Solve((double[,])reducedPotentials.Clone(), counts.ToArray(), tolerance, maxIterations, null, 0);
    }

    /// <summary>
    /// Solves MBAR for samples at several temperatures of one potential, u_k(x) = U(x) / (k_B T_k).
    /// </summary>
    /// <param name="potentialEnergies">The potential energy of each sample, one array per temperature.</param>
    /// <param name="temperatures">The temperature of each array (K, or whatever unit <paramref name="boltzmannConstant"/> assumes).</param>
    /// <param name="boltzmannConstant">k_B in the energies' unit per temperature unit; kJ/(mol K) by default.</param>
    /// <param name="tolerance">See <see cref="Solve(double[,], IReadOnlyList{int}, double, int)"/>.</param>
    /// <param name="maxIterations">See <see cref="Solve(double[,], IReadOnlyList{int}, double, int)"/>.</param>
    public static Mbar FromTemperatures(IReadOnlyList<double[]> potentialEnergies, IReadOnlyList<double> temperatures, double boltzmannConstant = BoltzmannKJPerMolK, double tolerance = 1e-10, int maxIterations = 10_000)
    {
        ArgumentNullException.ThrowIfNull(potentialEnergies);
        ArgumentNullException.ThrowIfNull(temperatures);
        if (potentialEnergies.Count != temperatures.Count || potentialEnergies.Count == 0)
        {
            throw new ArgumentException($"Give one temperature per energy array ({potentialEnergies.Count} arrays, {temperatures.Count} temperatures).", nameof(temperatures));
        }

        if (!(boltzmannConstant > 0) || temperatures.Any(t => !(t > 0) || !double.IsFinite(t)))
        {
            throw new ArgumentException("Temperatures and the Boltzmann constant must be positive and finite.", nameof(temperatures));
        }

        var energies = potentialEnergies.SelectMany(e => e ?? throw new ArgumentException("An energy array is null.", nameof(potentialEnergies))).ToArray();
        var reduced = new double[temperatures.Count, energies.Length];
        for (var k = 0; k < temperatures.Count; k++)
        {
            var beta = 1 / (boltzmannConstant * temperatures[k]);
            for (var n = 0; n < energies.Length; n++)
            {
                reduced[k, n] = beta * energies[n];
            }
        }

        return Solve(reduced, potentialEnergies.Select(e => e.Length).ToArray(), tolerance, maxIterations, energies, boltzmannConstant);
    }

    /// <summary>The normalised weight of each pooled sample in a target state.</summary>
    /// <param name="reducedPotential">u_t(x_n) of every pooled sample in the target state.</param>
    public double[] Weights(IReadOnlyList<double> reducedPotential)
    {
        var logWeights = LogWeights(reducedPotential);
        var total = LogSumExp(logWeights);
        return logWeights.Select(l => Math.Exp(l - total)).ToArray();
    }

    /// <summary>The normalised weight of each pooled sample at a temperature (sampled or not).</summary>
    /// <param name="temperature">The target temperature.</param>
    /// <exception cref="InvalidOperationException">The solution was not made by <see cref="FromTemperatures"/>.</exception>
    public double[] WeightsAtTemperature(double temperature) => Weights(ReducedAt(temperature));

    /// <summary>The dimensionless free energy f_t of a target state relative to state 0.</summary>
    /// <param name="reducedPotential">u_t(x_n) of every pooled sample in the target state.</param>
    public double FreeEnergy(IReadOnlyList<double> reducedPotential) => -LogSumExp(LogWeights(reducedPotential));

    /// <summary>The dimensionless free energy -ln Z(T) relative to state 0 at a temperature.</summary>
    /// <param name="temperature">The target temperature.</param>
    public double FreeEnergyAtTemperature(double temperature) => FreeEnergy(ReducedAt(temperature));

    /// <summary>Kish's effective number of samples of normalised weights, (sum w)^2 / sum w^2: how many equally weighted samples they are worth.</summary>
    /// <param name="weights">Weights, for example from <see cref="WeightsAtTemperature"/>.</param>
    public static double EffectiveSampleSize(IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var sum = weights.Sum();
        var squares = weights.Sum(w => w * w);
        return squares > 0 ? sum * sum / squares : 0;
    }

    /// <summary>The population of each state of a per-sample state assignment at a temperature.</summary>
    /// <param name="states">The state (0 to <paramref name="stateCount"/> - 1) of every pooled sample; -1 for none.</param>
    /// <param name="stateCount">Number of states.</param>
    /// <param name="temperature">The target temperature.</param>
    /// <returns>Populations; they add up to 1 minus the weight of unassigned samples.</returns>
    public double[] Populations(IReadOnlyList<int> states, int stateCount, double temperature)
    {
        ArgumentNullException.ThrowIfNull(states);
        CheckLength(states.Count, nameof(states));
        var weights = WeightsAtTemperature(temperature);
        var populations = new double[stateCount];
        for (var n = 0; n < weights.Length; n++)
        {
            var state = states[n];
            if (state >= stateCount)
            {
                throw new ArgumentOutOfRangeException(nameof(states), state, $"Sample {n} is in state {state}; there are {stateCount}.");
            }

            if (state >= 0)
            {
                populations[state] += weights[n];
            }
        }

        return populations;
    }

    /// <summary>The free-energy profile of a per-sample observable at a temperature, from a weighted histogram.</summary>
    /// <param name="observable">The observable of every pooled sample.</param>
    /// <param name="temperature">The target temperature.</param>
    /// <param name="bins">Number of bins; the profile's grid is their centres.</param>
    /// <param name="min">Lower edge.</param>
    /// <param name="max">Upper edge.</param>
    /// <returns>F = -ln p in k_B T at the target temperature, minimum 0, positive infinity in empty bins.</returns>
    public FreeEnergyProfile ProfileAtTemperature(IReadOnlyList<double> observable, double temperature, int bins, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(observable);
        CheckLength(observable.Count, nameof(observable));
        var histogram = new WeightedGrid(bins, min, max, 1);
        var weights = WeightsAtTemperature(temperature);
        for (var n = 0; n < weights.Length; n++)
        {
            histogram.Add(weights[n], observable[n]);
        }

        return FreeEnergyProfile.FromLogDensity(histogram.Centres(), histogram.LogDensity());
    }

    /// <summary>The free-energy surface of two per-sample observables at a temperature, from a weighted 2-D histogram.</summary>
    /// <param name="x">The first observable of every pooled sample (for example phi).</param>
    /// <param name="y">The second observable (for example psi).</param>
    /// <param name="temperature">The target temperature.</param>
    /// <param name="bins">Bins along each axis.</param>
    /// <param name="min">Lower edge of both axes.</param>
    /// <param name="max">Upper edge of both axes.</param>
    /// <returns>F = -ln p in k_B T at the bin centres, minimum 0, positive infinity in empty bins.</returns>
    public FreeEnergySurface SurfaceAtTemperature(IReadOnlyList<double> x, IReadOnlyList<double> y, double temperature, int bins, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        CheckLength(x.Count, nameof(x));
        CheckLength(y.Count, nameof(y));
        var histogram = new WeightedGrid(bins, min, max, 2);
        var weights = WeightsAtTemperature(temperature);
        for (var n = 0; n < weights.Length; n++)
        {
            histogram.Add(weights[n], x[n], y[n]);
        }

        var logDensity = histogram.LogDensity();
        var surface = new double[bins, bins];
        logDensity.AsSpan().CopyTo(Internal.ArrayViews.AsSpan(surface));
        var centres = histogram.Centres();
        return new FreeEnergySurface(centres, centres, surface);
    }

    private static Mbar Solve(double[,] reducedPotentials, int[] counts, double tolerance, int maxIterations, double[]? energies, double boltzmann)
    {
        var reduced = reducedPotentials;
        var states = reduced.GetLength(0);
        var samples = reduced.GetLength(1);
        if (counts.Length != states || counts.Any(c => c <= 0) || counts.Sum() != samples)
        {
            throw new ArgumentException($"Give a positive sample count for each of the {states} states, adding up to the {samples} samples (got {string.Join(", ", counts)}).", nameof(counts));
        }

        foreach (var value in reduced)
        {
            if (!double.IsFinite(value))
            {
                throw new ArgumentException("Every reduced potential must be finite.", nameof(reducedPotentials));
            }
        }

        if (!(tolerance > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be positive.");
        }

        // Start from f = 0; the first self-consistent step already gives a reasonable estimate.
        var f = new double[states];
        var logCounts = counts.Select(c => Math.Log(c)).ToArray();
        var logDenominator = new double[samples];
        var iteration = 0;
        var residual = Residual(reduced, f, logCounts, logDenominator);
        while (residual.Max > tolerance)
        {
            if (++iteration > maxIterations)
            {
                throw new InvalidOperationException($"MBAR did not converge in {maxIterations} iterations (the weights of a state sum to 1 within {residual.Max:g3}, not {tolerance:g3}); the states may not overlap.");
            }

            var selfConsistent = f.Select((fk, k) => fk - Math.Log(residual.Sums[k])).ToArray();
            Normalise(selfConsistent);
            var candidate = selfConsistent;
            var newton = NewtonStep(reduced, f, counts, logDenominator, residual.Sums);
            if (newton is not null)
            {
                var newtonResidual = Residual(reduced, newton, logCounts, new double[samples]);
                var sciResidual = Residual(reduced, selfConsistent, logCounts, new double[samples]);
                candidate = newtonResidual.Max < sciResidual.Max ? newton : selfConsistent;
            }

            f = candidate;
            residual = Residual(reduced, f, logCounts, logDenominator);
        }

        return new Mbar(reduced, counts, f, logDenominator, iteration, energies, boltzmann);
    }

    /// <summary>
    /// Computes ln sum_k N_k exp(f_k - u_k(x_n)) into <paramref name="logDenominator"/>, and for each state the sum of
    /// its weights, sum_n exp(f_k - u_k(x_n)) / denominator_n, which is 1 at the solution.
    /// </summary>
    private static (double[] Sums, double Max) Residual(double[,] reduced, double[] f, double[] logCounts, double[] logDenominator)
    {
        var states = f.Length;
        var samples = logDenominator.Length;
        Span<double> terms = stackalloc double[states];
        for (var n = 0; n < samples; n++)
        {
            for (var k = 0; k < states; k++)
            {
                terms[k] = logCounts[k] + f[k] - reduced[k, n];
            }

            logDenominator[n] = LogSumExp(terms);
        }

        var sums = new double[states];
        var logTerms = new double[samples];
        for (var k = 0; k < states; k++)
        {
            for (var n = 0; n < samples; n++)
            {
                logTerms[n] = f[k] - reduced[k, n] - logDenominator[n];
            }

            sums[k] = Math.Exp(LogSumExp(logTerms));
        }

        return (sums, sums.Max(s => Math.Abs(s - 1)));
    }

    /// <summary>A Newton step on MBAR's objective for f_1..f_{K-1} (f_0 = 0), or null when the Hessian is singular.</summary>
    private static double[]? NewtonStep(double[,] reduced, double[] f, int[] counts, double[] logDenominator, double[] sums)
    {
        var states = f.Length;
        if (states < 2)
        {
            return null;
        }

        var samples = logDenominator.Length;
        var weights = new double[states, samples];
        for (var k = 0; k < states; k++)
        {
            for (var n = 0; n < samples; n++)
            {
                weights[k, n] = Math.Exp(f[k] - reduced[k, n] - logDenominator[n]);
            }
        }

        // Gradient g_i = N_i (sum_n W_ni - 1); Hessian H_ij = N_i sum_n W_ni delta_ij - N_i N_j sum_n W_ni W_nj.
        var size = states - 1;
        var hessian = Matrix<double>.Build.Dense(size, size);
        var gradient = Vector<double>.Build.Dense(size);
        for (var i = 1; i < states; i++)
        {
            gradient[i - 1] = counts[i] * (sums[i] - 1);
            for (var j = 1; j < states; j++)
            {
                double overlap = 0;
                for (var n = 0; n < samples; n++)
                {
                    overlap += weights[i, n] * weights[j, n];
                }

                hessian[i - 1, j - 1] = ((i == j ? counts[i] * sums[i] : 0) - (counts[i] * (double)counts[j] * overlap));
            }
        }

        var step = hessian.Solve(gradient);
        if (step.Any(s => !double.IsFinite(s)))
        {
            return null;
        }

        var next = (double[])f.Clone();
        for (var i = 1; i < states; i++)
        {
            next[i] -= step[i - 1];
        }

        Normalise(next);
        return next;
    }

    private static void Normalise(double[] f)
    {
        var first = f[0];
        for (var k = 0; k < f.Length; k++)
        {
            f[k] -= first;
        }
    }

    private double[] LogWeights(IReadOnlyList<double> reducedPotential)
    {
        ArgumentNullException.ThrowIfNull(reducedPotential);
        CheckLength(reducedPotential.Count, nameof(reducedPotential));
        var result = new double[_logDenominator.Length];
        for (var n = 0; n < result.Length; n++)
        {
            var u = reducedPotential[n];
            if (!double.IsFinite(u))
            {
                throw new ArgumentException($"The reduced potential of sample {n} is {u}; it must be finite.", nameof(reducedPotential));
            }

            result[n] = -u - _logDenominator[n];
        }

        return result;
    }

    private double[] ReducedAt(double temperature)
    {
        if (_energies is null)
        {
            throw new InvalidOperationException("Weights at a temperature need the potential energies: make the solution with Mbar.FromTemperatures.");
        }

        if (!(temperature > 0) || !double.IsFinite(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive and finite.");
        }

        var beta = 1 / (_boltzmann * temperature);
        return _energies.Select(e => beta * e).ToArray();
    }

    private void CheckLength(int count, string argument)
    {
        if (count != SampleCount)
        {
            throw new ArgumentException($"Give one value per pooled sample ({SampleCount}); got {count}.", argument);
        }
    }

    private static double LogSumExp(ReadOnlySpan<double> values)
    {
        var max = double.NegativeInfinity;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        double sum = 0;
        foreach (var v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>A weighted histogram on a regular 1-D or 2-D grid; values outside [min, max] are left out.</summary>
    private sealed class WeightedGrid
    {
        private readonly double[] _mass;
        private readonly int _bins;
        private readonly double _min;
        private readonly double _width;

        public WeightedGrid(int bins, double min, double max, int dimensions)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
            if (!(max > min) || !double.IsFinite(min) || !double.IsFinite(max))
            {
                throw new ArgumentException($"The grid needs min < max, both finite; got [{min}, {max}].", nameof(max));
            }

            _bins = bins;
            _min = min;
            _width = (max - min) / bins;
            _mass = new double[dimensions == 1 ? bins : bins * bins];
        }

        public void Add(double weight, params ReadOnlySpan<double> point)
        {
            var index = 0;
            foreach (var value in point)
            {
                var bin = (int)Math.Floor((value - _min) / _width);
                if (value == _min + (_bins * _width))
                {
                    bin = _bins - 1; // the upper edge belongs to the last bin
                }

                if (bin < 0 || bin >= _bins || double.IsNaN(value))
                {
                    return;
                }

                index = (index * _bins) + bin;
            }

            _mass[index] += weight;
        }

        public double[] Centres() => Enumerable.Range(0, _bins).Select(i => _min + ((i + 0.5) * _width)).ToArray();

        /// <summary>ln of the probability density (mass per bin area; the constant area does not change F).</summary>
        public double[] LogDensity() => _mass.Select(m => m > 0 ? Math.Log(m) : double.NegativeInfinity).ToArray();
    }
}
