using DSpib.Systems.Dynamics;

namespace DSpib.Systems.Biasing;

/// <summary>
/// Well-tempered metadynamics (Barducci, Bussi and Parrinello, 2008) along a one-dimensional collective variable s(x):
/// every <see cref="MetadynamicsOptions.Stride"/> force evaluations a walker deposits a Gaussian hill of height
/// w_0 exp(-V(s) / (k_B Delta T)) and width sigma at its current s, with Delta T = (gamma - 1) T. The bias V(s) and
/// dV/ds are kept on a grid and interpolated linearly; the force on the coordinates is -dV/ds ds/dx. Outside the grid
/// the bias keeps its value at the nearest end and exerts no force (choose a grid that covers the reachable range).
/// </summary>
/// <remarks>
/// Frames are unbiased with the c(t) reweighting of Tiwary and Parrinello (J. Phys. Chem. B 119, 736, 2015): a frame
/// recorded at time t with value s has log weight (V(s, t) - c(t)) / k_B T, where
/// c(t) = k_B T ln [ integral exp(gamma V / ((gamma - 1) k_B T)) ds / integral exp(V / ((gamma - 1) k_B T)) ds ]
/// (<see cref="IBias.LogWeight"/>, recorded by the integrators in <see cref="SimulationResult.LogWeights"/>).
/// Several walkers may share one instance (multiple-walker metadynamics). A hill a walker deposits during a frame takes
/// effect at the end of the frame (<see cref="EndFrame"/>, which the integrators call when every walker has recorded
/// it), in walker order, and c(t) is updated then: every force evaluation and log weight of a frame sees the same bias,
/// so a seeded simulation deposits the same hills in the same order whatever the thread scheduling. With an integrator
/// of your own, call <see cref="EndFrame"/> between frames, or the hills stay pending.
/// </remarks>
public sealed class WellTemperedMetadynamics : ILockstepBias, IEnergyAlongVariable
{
    private readonly ICollectiveVariable _cv;
    private readonly double[] _bias;
    private readonly double[] _slope;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, long> _evaluations = [];
    private readonly SortedDictionary<int, List<(double S, double Bias)>> _pending = [];
    private readonly double _spacing;
    private double _offset;

    /// <summary>Creates the bias (zero until the first hill).</summary>
    /// <param name="cv">A one-dimensional collective variable of the system's coordinates.</param>
    /// <param name="options">The settings.</param>
    public WellTemperedMetadynamics(ICollectiveVariable cv, MetadynamicsOptions options)
    {
        ArgumentNullException.ThrowIfNull(cv);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (cv.Dimension != 1)
        {
            throw new ArgumentException($"This metadynamics biases one collective variable; this one has {cv.Dimension} values.", nameof(cv));
        }

        _cv = cv;
        Options = options;
        _bias = new double[options.GridBins + 1];
        _slope = new double[options.GridBins + 1];
        _spacing = (options.GridMaximum - options.GridMinimum) / options.GridBins;
    }

    /// <summary>The settings.</summary>
    public MetadynamicsOptions Options { get; }

    /// <summary>Hills deposited so far, by all walkers (those of the current frame count from its end).</summary>
    public int Hills { get; private set; }

    /// <summary>The current c(t) of the reweighting (0 before the first hill).</summary>
    public double Offset
    {
        get
        {
            lock (_lock)
            {
                return _offset;
            }
        }
    }

    /// <summary>The grid points s_j, from <see cref="MetadynamicsOptions.GridMinimum"/> to <see cref="MetadynamicsOptions.GridMaximum"/>.</summary>
    public double[] Grid() => Enumerable.Range(0, _bias.Length).Select(j => Options.GridMinimum + (j * _spacing)).ToArray();

    /// <summary>The bias V(s_j) on the grid.</summary>
    public double[] Bias()
    {
        lock (_lock)
        {
            return (double[])_bias.Clone();
        }
    }

    /// <summary>
    /// The well-tempered estimate of the free energy along s from the bias alone, F(s) = -gamma / (gamma - 1) V(s),
    /// shifted to minimum 0 on the grid.
    /// </summary>
    public double[] FreeEnergy()
    {
        var factor = Options.BiasFactor / (Options.BiasFactor - 1);
        var free = Bias().Select(v => -factor * v).ToArray();
        var minimum = free.Min();
        return free.Select(f => f - minimum).ToArray();
    }

    /// <summary>The bias V(s) and dV/ds at <paramref name="s"/> (linear interpolation on the grid).</summary>
    /// <param name="s">A value of the collective variable.</param>
    public (double Value, double Slope) At(double s)
    {
        lock (_lock)
        {
            return Interpolate(s);
        }
    }

    /// <inheritdoc />
    public double AddEnergyAndGradient(int walker, ReadOnlySpan<double> position, Span<double> gradient) =>
        VariableBias.AddEnergyAndGradient(this, _cv, walker, position, gradient);

    /// <inheritdoc />
    public double LogWeight(int walker, ReadOnlySpan<double> position)
    {
        Span<double> s = stackalloc double[1];
        _cv.Evaluate(position, s, []);
        lock (_lock)
        {
            return (Interpolate(s[0]).Value - _offset) / Options.Temperature;
        }
    }

    /// <summary>V(s) and dV/ds for the walker's force evaluation, which deposits a hill every <see cref="MetadynamicsOptions.Stride"/> of them.</summary>
    double IEnergyAlongVariable.EnergyAndSlope(int walker, ReadOnlySpan<double> s, Span<double> slope)
    {
        lock (_lock)
        {
            var (value, dv) = Interpolate(s[0]);
            var count = _evaluations.GetValueOrDefault(walker) + 1;
            _evaluations[walker] = count;
            if (count % Options.Stride == 0)
            {
                if (!_pending.TryGetValue(walker, out var hills))
                {
                    _pending[walker] = hills = [];
                }

                hills.Add((s[0], value));
            }

            slope[0] = dv;
            return value;
        }
    }

    /// <summary>
    /// Whether <paramref name="walker"/> deposited a hill during the frame it has just recorded. The walkers of one
    /// simulation make the same number of force evaluations, so they all deposit in the same frames (when a shared
    /// instance is reused, reuse it with the same number of walkers, whose counts of evaluations stay equal).
    /// </summary>
    /// <param name="walker">The walker's index.</param>
    public bool FrameRecorded(int walker)
    {
        lock (_lock)
        {
            return _pending.ContainsKey(walker);
        }
    }

    /// <summary>
    /// Deposits the hills requested since the last call, walker after walker (each walker's in the order requested),
    /// and updates c(t). The integrators call it at the end of every frame in which hills were deposited, when all
    /// walkers have recorded it, and once at the end of a run.
    /// </summary>
    public void EndFrame()
    {
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return;
            }

            foreach (var hills in _pending.Values)
            {
                foreach (var (s, bias) in hills)
                {
                    Deposit(s, bias);
                }
            }

            _pending.Clear();
            UpdateOffset();
        }
    }

    private (double Value, double Slope) Interpolate(double s)
    {
        var position = (s - Options.GridMinimum) / _spacing;
        if (!(position > 0))
        {
            return (_bias[0], 0);
        }

        if (position >= _bias.Length - 1)
        {
            return (_bias[^1], 0);
        }

        var j = (int)position;
        var t = position - j;
        return (((1 - t) * _bias[j]) + (t * _bias[j + 1]), ((1 - t) * _slope[j]) + (t * _slope[j + 1]));
    }

    /// <summary>k_B Delta T = (gamma - 1) k_B T, the energy scale of the well-tempered hills and of c(t).</summary>
    private double DeltaT => (Options.BiasFactor - 1) * Options.Temperature;

    private void Deposit(double s, double biasHere)
    {
        var height = Options.Height * Math.Exp(-biasHere / DeltaT);
        var width2 = Options.Width * Options.Width;
        for (var j = 0; j < _bias.Length; j++)
        {
            var d = Options.GridMinimum + (j * _spacing) - s;
            var g = height * Math.Exp(-0.5 * d * d / width2);
            _bias[j] += g;
            _slope[j] -= g * d / width2;
        }

        Hills++;
    }

    private void UpdateOffset()
    {
        var deltaT = DeltaT;

        // c(t) by the trapezoid rule, with the exponents shifted by their maxima against overflow.
        var max = _bias.Max();
        double upper = 0, lower = 0;
        for (var j = 0; j < _bias.Length; j++)
        {
            var end = j == 0 || j == _bias.Length - 1 ? 0.5 : 1.0;
            upper += end * Math.Exp(Options.BiasFactor * (_bias[j] - max) / deltaT);
            lower += end * Math.Exp((_bias[j] - max) / deltaT);
        }

        _offset = (Options.Temperature * Math.Log(upper / lower)) + max;
    }
}
