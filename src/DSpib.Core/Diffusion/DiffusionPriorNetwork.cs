using DSpib.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// The temperature-conditioned diffusion prior p_psi(z | T): a score network under a VP-SDE whose noise scale is
/// lambda(T). It predicts unit-variance noise, gives the denoising score-matching loss used in training, and serves
/// the samplers and the exact likelihood as an <see cref="INoisePredictor"/>.
/// </summary>
internal sealed class DiffusionPriorNetwork : nn.Module, INoisePredictor
{
    private readonly ScoreNetwork network;

    /// <summary>The discrete schedule's tables (null for the continuous form).</summary>
    private readonly DiscreteTables? tables;

    /// <summary>
    /// The integral of the likelihood weight beta / s^2 over [smallest time, 1]; in the discrete form its mean over
    /// steps, which matches the uniform draw's mean over steps.
    /// </summary>
    private readonly double likelihoodNormaliser;

    public DiffusionPriorNetwork(VpSde sde, ScoreNet architecture, int latentDimension, double referenceTemperature, ScalarType type, Generator initGenerator)
        : base(nameof(DiffusionPriorNetwork))
    {
        Sde = sde;
        ReferenceTemperature = referenceTemperature;
        network = new ScoreNetwork(architecture, latentDimension, type, initGenerator);
        tables = sde.IsDiscrete ? new DiscreteTables(sde, type) : null;
        RegisterComponents();
        NativeLifetime.Own(this);
        likelihoodNormaliser = sde.IsDiscrete
            ? Enumerable.Range(0, sde.Steps).Sum(i => sde.DiscreteBeta(i) / (1 - sde.AlphaBar(i))) / sde.Steps
            : Math.Log(Math.Exp(sde.IntegratedBeta(1)) - 1) - Math.Log(Math.Exp(sde.IntegratedBeta(sde.SmallestTime)) - 1);
    }

    public VpSde Sde { get; }

    /// <summary>T_ref of the temperature law: the SDE's own, or the lowest training temperature.</summary>
    public double ReferenceTemperature { get; }

    public ScoreNet Architecture => network.Architecture;

    /// <summary>The score network's reduced product type, or <see langword="null"/> for products in its own type (see <see cref="ScoreNetwork.ReducedProducts"/>).</summary>
    public ScalarType? ReducedProducts
    {
        get => network.ReducedProducts;
        set => network.ReducedProducts = value;
    }

    /// <summary>lambda(T).</summary>
    public double Lambda(double temperature) => Sde.Lambda(temperature, ReferenceTemperature);

    /// <summary>The scalar the temperature embedding sees at <paramref name="temperature"/>.</summary>
    public double TemperatureInput(double temperature) => Architecture.TemperatureEmbedding.InputValue(temperature, Lambda(temperature));

    /// <inheritdoc />
    public Tensor PredictNoise(Tensor z, DiffusionTime time, double temperature, double lambda)
    {
        // One time and one temperature for the whole batch: the conditioning is computed once and broadcast.
        using var scope = NewDisposeScope();
        using var timeInput = TensorArithmetic.Filled([1], TimeInput(time), z.dtype, z.device);
        using var temperatureInput = TensorArithmetic.Filled([1], Architecture.TemperatureEmbedding.InputValue(temperature, lambda), z.dtype, z.device);
        return network.Forward(z, network.Conditioning(timeInput, temperatureInput)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The denoising score-matching loss of each latent sample, averaged over <paramref name="draws"/> noise draws:
    /// 1/2 mean_d (eps - eps_psi(m(t) z + lambda s(t) eps, t, T))^2, with t uniform (a uniform step index in the discrete
    /// form) as in the reference, or drawn in proportion to the likelihood weight. Gradients flow into
    /// <paramref name="z"/>.
    /// </summary>
    /// <param name="z">Latent samples [batch, D].</param>
    /// <param name="temperatures">The temperature of each sample.</param>
    /// <param name="draws">Noise draws M per sample (reference 16).</param>
    /// <param name="generator">Source of t and eps.</param>
    /// <param name="weighting">Uniform times (the reference) or likelihood-weighted, importance-sampled times.</param>
    /// <returns>[batch] losses.</returns>
    public Tensor DenoisingLoss(Tensor z, BatchTemperatures temperatures, int draws, Generator generator, DiffusionWeighting weighting = DiffusionWeighting.Unweighted)
    {
        var batch = z.shape[0];
        var rows = batch * draws;
        var type = z.dtype;
        var device = z.device;
        var repeated = z.repeat_interleave(draws, dim: 0);
        var temperatureIndex = temperatures.Index.repeat_interleave(draws, dim: 0);
        var lambda = temperatures.Lambdas.index_select(0, temperatureIndex).unsqueeze(1);
        Tensor meanScale, noiseScale;
        Tensor[] conditioning;
        if (Sde.IsDiscrete)
        {
            var steps = weighting == DiffusionWeighting.Likelihood
                ? multinomial(Tables(device).StepWeights, rows, replacement: true, generator: generator)
                : randint(0, Sde.Steps, [rows], dtype: ScalarType.Int64, device: device, generator: generator);
            var alphaBar = Tables(device).AlphaBars.index_select(0, steps);
            meanScale = alphaBar.sqrt();
            noiseScale = alphaBar.SubtractedFrom(1).sqrt();

            // N steps x K temperatures is far fewer combinations than rows: condition each once, then gather.
            var table = network.ConditioningTable(Tables(device).StepInputs, temperatures.Inputs);
            var combination = steps.Times(temperatures.Inputs.shape[0]).Plus(temperatureIndex);
            conditioning = table.Select(t => t.index_select(0, combination)).ToArray();
        }
        else
        {
            var uniform = rand([rows], dtype: type, device: device, generator: generator);
            var t = weighting == DiffusionWeighting.Likelihood
                ? LikelihoodTimes(uniform)
                : uniform.Times(1 - Sde.SmallestTime).Plus(Sde.SmallestTime);
            var integrated = t.Times(Sde.BetaMin).PlusScaled(t.Squared(), 0.5 * (Sde.BetaMax - Sde.BetaMin));
            meanScale = integrated.Times(-0.5).exp();
            noiseScale = (-(-integrated).expm1()).sqrt();

            // Continuous times differ in every row; the temperature terms are still one per distinct temperature.
            conditioning = network.TimeTerms(t);
            var temperatureTerms = network.TemperatureTerms(temperatures.Inputs);
            if (temperatureTerms is not null)
            {
                conditioning = conditioning.Zip(temperatureTerms, (time, temperature) => time.Plus(temperature.index_select(0, temperatureIndex))).ToArray();
            }
        }

        var eps = randn([rows, z.shape[1]], dtype: type, device: device, generator: generator);
        var noisy = (meanScale.unsqueeze(1) * repeated).Plus(lambda * noiseScale.unsqueeze(1) * eps);
        var predicted = network.Forward(noisy, conditioning);
        var perRow = (eps - predicted).Squared().mean([1]).Times(0.5);

        // With importance sampling the likelihood weight divided by the sampling density is a constant, the integral of
        // beta / s^2 over the times used; scaling by it keeps the term comparable to a cross-entropy bound.
        var scale = weighting == DiffusionWeighting.Likelihood ? likelihoodNormaliser : 1.0;
        return perRow.view(batch, draws).mean([1]).Times(scale);
    }

    /// <summary>Step probabilities proportional to beta_i / (1 - alpha_bar_i), the discrete likelihood weight.</summary>
    internal Tensor LikelihoodStepWeights => Tables(CPU).StepWeights;

    /// <summary>
    /// Times with density proportional to beta(t) / (1 - exp(-B(t))) on [smallest time, 1], by inverting its CDF:
    /// the density is d/dt log(exp(B(t)) - 1), so log(exp(B) - 1) is uniform between its values at the two ends.
    /// </summary>
    internal Tensor LikelihoodTimes(Tensor uniform)
    {
        var low = Math.Log(Math.Exp(Sde.IntegratedBeta(Sde.SmallestTime)) - 1);
        var high = Math.Log(Math.Exp(Sde.IntegratedBeta(1)) - 1);
        var integrated = uniform.Times(high - low).Plus(low).exp().log1p(); // B = log(1 + exp(L))
        var slope = Sde.BetaMax - Sde.BetaMin;
        return integrated.Times(2 * slope).Plus(Sde.BetaMin * Sde.BetaMin).sqrt().Minus(Sde.BetaMin).DividedBy(slope);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            tables?.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>The discrete schedule's tables on <paramref name="device"/> (moved there at the first use).</summary>
    private DiscreteTables Tables(Device device) =>
        tables?.On(device) ?? throw new InvalidOperationException("The continuous form of the SDE has no step tables.");

    // The discrete form is trained on step indices; continuous-time samplers on it use the nearest step.
    private double TimeInput(DiffusionTime time) => !Sde.IsDiscrete ? time.Time : time.Step >= 0 ? time.Step : Sde.StepOfTime(time.Time);

    /// <summary>
    /// Tables derived from the discrete schedule, built once rather than at every training step. They are not module
    /// buffers: the SDE recreates them, so they are not saved, and TorchSharp 0.107 neither moves nor disposes a module's
    /// non-persistent buffers. They follow the device of the tensors they are used with instead.
    /// </summary>
    private sealed class DiscreteTables : IDisposable
    {
        public DiscreteTables(VpSde sde, ScalarType type)
        {
            var steps = Enumerable.Range(0, sde.Steps).ToArray();
            AlphaBars = Table(steps.Select(sde.AlphaBar), type);
            StepWeights = Table(steps.Select(i => sde.DiscreteBeta(i) / (1 - sde.AlphaBar(i))), type);
            StepInputs = Table(steps.Select(i => (double)i), type);
        }

        /// <summary>alpha_bar_i.</summary>
        public Tensor AlphaBars { get; private set; }

        /// <summary>beta_i / (1 - alpha_bar_i), the discrete likelihood weight.</summary>
        public Tensor StepWeights { get; private set; }

        /// <summary>The step indices as the score network's time input.</summary>
        public Tensor StepInputs { get; private set; }

        /// <summary>These tables, moved to <paramref name="device"/> first if they are elsewhere.</summary>
        public DiscreteTables On(Device device)
        {
            // TorchSharp's Device has reference equality: compare what it names.
            if (AlphaBars.device_type != device.type || AlphaBars.device_index != device.index)
            {
                AlphaBars = Move(AlphaBars, device);
                StepWeights = Move(StepWeights, device);
                StepInputs = Move(StepInputs, device);
            }

            return this;
        }

        public void Dispose()
        {
            AlphaBars.Dispose();
            StepWeights.Dispose();
            StepInputs.Dispose();
        }

        private static Tensor Move(Tensor table, Device device)
        {
            var moved = NativeLifetime.Own(table.to(device));
            table.Dispose();
            return moved;
        }

        private static Tensor Table(IEnumerable<double> values, ScalarType type)
        {
            using var scope = NewDisposeScope();
            return NativeLifetime.Own(tensor(values.ToArray(), dtype: ScalarType.Float64).to(type));
        }
    }
}
