using System.Globalization;

namespace DSpib.Samples.ThreeHole;

/// <summary>
/// Command-line settings of the three-hole sample. The defaults finish in a few minutes on 2 cores; the paper's scale
/// (longer trajectories, reference joint patience 150) takes the same options with larger values.
/// </summary>
internal sealed record SampleOptions
{
    /// <summary>The models the sample can train, by their command-line names.</summary>
    public static readonly IReadOnlyList<string> ModelNames = [SpibModel, TwoPhaseModel, JointModel];

    public const string SpibModel = "spib";

    public const string TwoPhaseModel = "two-phase";

    public const string JointModel = "joint";

    public IReadOnlyList<string> Models { get; init; } = ModelNames;

    public int Walkers { get; init; } = 10;

    public int FramesPerWalker { get; init; } = 5_000;

    public double Temperature { get; init; } = 0.6;

    public double TimeStep { get; init; } = 1e-3;

    public int StepsPerFrame { get; init; } = 50;

    public int EquilibrationSteps { get; init; } = 1_000;

    public int Clusters { get; init; } = 100;

    /// <summary>The trainer's settings: the reference's, except where these short runs need others.</summary>
    public TrainingSettings Training { get; init; } = new()
    {
        // 10 frames of 50 steps are the 500 steps (0.5 time units) of the original 50-frame lag at 10 steps a frame.
        Lag = 10,
        Beta = 1e-2,

        // The reference's 1e-3 is below the epoch-to-epoch noise of the loss on a few tens of thousands of frames, so
        // each refinement round would wait tens of epochs for six quiet ones in a row.
        Tolerance = 5e-3,

        // The reference's 150 costs minutes more for no better KL here.
        JointPatience = 20,

        // 4 instead of the reference's 16 makes a joint epoch about 4 times cheaper.
        NoiseDraws = 4,
    };

    public int GeneratedSamples { get; init; } = 100_000;

    public int Seed { get; init; } = 42;

    /// <summary>libtorch threads; one is faster than two for these small networks on 2 cores (docs/performance.md).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Models trained at the same time, each on its own thread with <see cref="Threads"/> libtorch threads, or
    /// <see langword="null"/> for as many as the cores allow (cores / threads). Seeded results do not depend on it.
    /// </summary>
    public int? ModelsAtOnce { get; init; }

    /// <summary>The product precision asked for with <c>--products</c>, or <see langword="null"/> for the library's default.</summary>
    public DSpib.Devices.ProductPrecision? Products { get; init; }

    public int VerificationWalkers { get; init; } = 20;

    public int VerificationFrames { get; init; } = 10_000;

    public int VerificationStride { get; init; } = 100;

    public string Output { get; init; } = Path.Combine("out", "three-hole");

    public static string Usage => $$"""
        usage: dotnet run -c Release --project samples/ThreeHole -- [options]
          --models LIST               models to train, any of spib,two-phase,joint (all three)
                                        spib: SPIB with its VampPrior; two-phase: SPIB with refinements, then the joint
                                        D-SPIB objective (the reference); joint: the D-SPIB objective from the first epoch
          --walkers N                 independent Langevin walkers of the training run (10)
          --frames N                  frames per walker (5000)
          --temperature T             k_B T (0.6)
          --dt X                      time step (0.001)
          --stride N                  integration steps per frame (50)
          --equilibration N           steps discarded per walker (1000)
          --clusters N                initial k-means states on (x, y) (100)
        {{new SampleOptions().Training.Usage()}}
          --samples N                 generated latent samples per model (100000)
          --seed N                    seed of simulation, clustering, training and sampling (42)
          --threads N                 libtorch threads (1: faster than 2 for these small networks)
          --parallel N                models trained at the same time (cores / threads; results do not depend on it)
        {{SampleDevice.ProductsUsage}}
          --verify-walkers N          walkers of the independent run that gives held-out frames and populations (20)
          --verify-frames N           frames per walker of that run (10000)
          --verify-stride N           steps per frame of that run (100)
          --output DIR                output folder (out/three-hole)
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine(args, Usage);
        var defaults = new SampleOptions();
        var options = new SampleOptions
        {
            Models = ParseModels(line.Text("--models", string.Join(",", defaults.Models))),
            Walkers = line.WholeNumber("--walkers", defaults.Walkers, minimum: 1),
            FramesPerWalker = line.WholeNumber("--frames", defaults.FramesPerWalker, minimum: 2),
            Temperature = line.Number("--temperature", defaults.Temperature),
            TimeStep = line.Number("--dt", defaults.TimeStep),
            StepsPerFrame = line.WholeNumber("--stride", defaults.StepsPerFrame),
            EquilibrationSteps = line.WholeNumber("--equilibration", defaults.EquilibrationSteps, minimum: 0),
            Clusters = line.WholeNumber("--clusters", defaults.Clusters, minimum: 2),
            Training = TrainingSettings.Parse(line, defaults.Training),
            GeneratedSamples = line.WholeNumber("--samples", defaults.GeneratedSamples, minimum: 100),
            Seed = line.WholeNumber("--seed", defaults.Seed, minimum: 0),
            Threads = line.WholeNumber("--threads", defaults.Threads),
            ModelsAtOnce = line.OptionalWholeNumber("--parallel"),
            Products = SampleDevice.ParseProducts(line, defaults.Products),
            VerificationWalkers = line.WholeNumber("--verify-walkers", defaults.VerificationWalkers, minimum: 2),
            VerificationFrames = line.WholeNumber("--verify-frames", defaults.VerificationFrames),
            VerificationStride = line.WholeNumber("--verify-stride", defaults.VerificationStride),
            Output = line.Text("--output", defaults.Output),
        };
        line.EnsureAllUsed();
        if (options.Training.Lag >= options.FramesPerWalker)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Option --lag ({options.Training.Lag}) must be shorter than --frames ({options.FramesPerWalker}).\n{Usage}"));
        }

        return options;
    }

    /// <summary>How many models train at once: <see cref="ModelsAtOnce"/>, or cores / threads, at most the models there are.</summary>
    public int ConcurrentModels() =>
        Math.Clamp(ModelsAtOnce ?? Environment.ProcessorCount / Math.Max(1, Threads), 1, Models.Count);

    /// <summary>A comma-separated subset of <see cref="ModelNames"/>, each at most once, kept in the order given.</summary>
    private static string[] ParseModels(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => !ModelNames.Contains(n, StringComparer.Ordinal)).ToArray();
        if (names.Length == 0 || unknown.Length > 0)
        {
            throw new ArgumentException($"Option --models takes a comma-separated list of {string.Join(", ", ModelNames)}, not '{text}'.\n{Usage}");
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
        {
            throw new ArgumentException($"Option --models names a model more than once: '{text}'.\n{Usage}");
        }

        return names;
    }
}
