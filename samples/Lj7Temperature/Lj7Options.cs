using System.Globalization;

namespace DSpib.Samples.Lj7Temperature;

/// <summary>
/// Settings of the LJ7 temperature-transfer sample. The defaults are the paper's scale (100,000 frames per
/// temperature, training at k_B T = 0.2 and 0.5, the reference hyperparameters); smaller runs take the same options.
/// </summary>
internal sealed record Lj7Options
{
    public IReadOnlyList<double> TrainingTemperatures { get; init; } = [0.2, 0.5];

    public IReadOnlyList<double> EvaluationTemperatures { get; init; } = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7];

    public int Walkers { get; init; } = 50;

    public int FramesPerWalker { get; init; } = 2_000;

    public int StepsPerFrame { get; init; } = 100;

    public int EquilibrationSteps { get; init; } = 50_000;

    public int Clusters { get; init; } = 100;

    /// <summary>The trainer's settings: the reference hyperparameters.</summary>
    public TrainingSettings Training { get; init; } = new();

    /// <summary>lambda(T): <c>sqrt</c> (sqrt(T / T_ref), the library's default) or <c>linear</c> (T / T_ref, the reference).</summary>
    public string Law { get; init; } = "sqrt";

    /// <summary><c>reference</c> (Fourier features of lambda at scale 100) or <c>smooth</c> (Fourier features of log T at scale 0.1).</summary>
    public string Embedding { get; init; } = "smooth";

    /// <summary><c>unweighted</c> (the reference) or <c>likelihood</c>.</summary>
    public string Weighting { get; init; } = "unweighted";

    public int GeneratedSamples { get; init; } = 20_000;

    public double Bandwidth { get; init; } = 0.1;

    public int ProfilePoints { get; init; } = 200;

    /// <summary>Grid points along z_2 over which the exact profile integrates.</summary>
    public int MarginalPoints { get; init; } = 80;

    public int OdeSteps { get; init; } = 100;

    public int Seed { get; init; } = 42;

    /// <summary>
    /// libtorch threads. One is the default because the networks are small: on 2 cores a second thread costs more in
    /// synchronisation than it gains in arithmetic (docs/performance.md).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>The product precision asked for with <c>--products</c>, or <see langword="null"/> for the library's default.</summary>
    public DSpib.Devices.ProductPrecision? Products { get; init; }

    public string Output { get; init; } = Path.Combine("out", "lj7-temperature");

    /// <summary>A model saved by an earlier run, evaluated instead of training a new one; empty to train.</summary>
    public string Model { get; init; } = "";

    public static string Usage => $$"""
        usage: dotnet run -c Release --project samples/Lj7Temperature -- [options]
          --train-temperatures LIST   k_B T values trained on (0.2,0.5)
          --temperatures LIST         k_B T values simulated and evaluated (0.2,0.3,0.4,0.5,0.6,0.7)
          --walkers N                 BAOAB walkers per temperature (50)
          --frames N                  frames per walker (2000)
          --stride N                  steps per frame (100)
          --equilibration N           steps discarded per walker (50000)
          --clusters N                initial k-means states on (mu2, mu3) (100)
        {{new TrainingSettings().Usage()}}
          --law sqrt|linear           temperature law of the noise scale (sqrt; linear is the reference)
          --embedding smooth|reference  temperature embedding (smooth; reference is Fourier scale 100 of lambda)
          --weighting unweighted|likelihood  diffusion loss weighting (unweighted)
          --samples N                 generated latent samples per temperature (20000)
          --ode-steps N               RK4 steps of the exact free energy (100)
          --seed N                    seed of simulation, clustering and training (42)
          --threads N                 libtorch threads (1: faster than 2 for these small networks)
        {{SampleDevice.ProductsUsage}}
          --output DIR                output folder (out/lj7-temperature)
          --model FILE                evaluate this saved model (an earlier run's model.dspib) instead of
                                      training; pass the simulation options and seed of that run
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    public static Lj7Options Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine(args, Usage);
        var defaults = new Lj7Options();
        var options = new Lj7Options
        {
            TrainingTemperatures = line.Numbers("--train-temperatures", defaults.TrainingTemperatures),
            EvaluationTemperatures = line.Numbers("--temperatures", defaults.EvaluationTemperatures),
            Walkers = line.WholeNumber("--walkers", defaults.Walkers, minimum: 2),
            FramesPerWalker = line.WholeNumber("--frames", defaults.FramesPerWalker),
            StepsPerFrame = line.WholeNumber("--stride", defaults.StepsPerFrame),
            EquilibrationSteps = line.WholeNumber("--equilibration", defaults.EquilibrationSteps, minimum: 0),
            Clusters = line.WholeNumber("--clusters", defaults.Clusters, minimum: 2),
            Training = TrainingSettings.Parse(line, defaults.Training),
            Law = line.Choice("--law", defaults.Law, "linear", "sqrt"),
            Embedding = line.Choice("--embedding", defaults.Embedding, "reference", "smooth"),
            Weighting = line.Choice("--weighting", defaults.Weighting, "unweighted", "likelihood"),
            GeneratedSamples = line.WholeNumber("--samples", defaults.GeneratedSamples, minimum: 100),
            OdeSteps = line.WholeNumber("--ode-steps", defaults.OdeSteps),
            Seed = line.WholeNumber("--seed", defaults.Seed, minimum: 0),
            Threads = line.WholeNumber("--threads", defaults.Threads),
            Products = SampleDevice.ParseProducts(line, defaults.Products),
            Output = line.Text("--output", defaults.Output),
            Model = line.Text("--model", defaults.Model),
        };
        line.EnsureAllUsed();
        if (options.Model.Length > 0 && !File.Exists(options.Model))
        {
            throw new ArgumentException($"Option --model: the file '{options.Model}' does not exist; pass the model.dspib of an earlier run, or leave --model out to train.\n{Usage}");
        }

        var missing = options.TrainingTemperatures.Where(t => !options.EvaluationTemperatures.Contains(t)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Every training temperature must also be simulated: add {string.Join(",", missing)} to --temperatures.\n{Usage}"));
        }

        return options;
    }
}
