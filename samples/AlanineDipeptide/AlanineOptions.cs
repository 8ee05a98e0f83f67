using System.Globalization;

namespace DSpib.Samples.AlanineDipeptide;

/// <summary>
/// Settings of the alanine dipeptide temperature-transfer sample. The defaults train on 500 K and 725 K and evaluate at
/// every temperature of the data set (400, 500, 550, 625, 725 K) in a few minutes on one core.
/// </summary>
internal sealed record AlanineOptions
{
    /// <summary>The data set (the committed <c>alanine-dipeptide.npz</c>, copied beside the program).</summary>
    public string Data { get; init; } = Path.Combine(AppContext.BaseDirectory, "alanine-dipeptide.npz");

    /// <summary>Temperatures (K) trained on. 400 K is not a good choice: its run crossed between C7eq and C7ax twice.</summary>
    public IReadOnlyList<double> TrainingTemperatures { get; init; } = [500, 725];

    /// <summary>Temperatures (K) evaluated; each must be in the data set.</summary>
    public IReadOnlyList<double> EvaluationTemperatures { get; init; } = [400, 500, 550, 625, 725];

    /// <summary>Initial k-means states on (sin phi, cos phi, sin psi, cos psi).</summary>
    public int Clusters { get; init; } = 10;

    /// <summary>
    /// The trainer's settings: lag 2 frames (40 ps; C7ax visits last 30-260 ps at these temperatures, and alphaR
    /// exchanges with C7eq faster), beta 1e-3, 8 noise draws and an epoch cap of 200 per phase so that the default run
    /// takes a few minutes. Lag 1 left 10 states after 300 SPIB epochs; lag 5 cut the C7ax state to half the basin.
    /// </summary>
    public TrainingSettings Training { get; init; } = new()
    {
        Lag = 2,
        Beta = 1e-3,
        Refinements = 10,
        Patience = 5,
        Tolerance = 1e-3,
        JointPatience = 20,
        NoiseDraws = 8,
        MaxEpochs = 200,
    };

    /// <summary>Generated latent samples per temperature.</summary>
    public int GeneratedSamples { get; init; } = 20_000;

    /// <summary>Points of the free-energy profiles along z_1.</summary>
    public int ProfilePoints { get; init; } = 200;

    /// <summary>Bins per axis of the (phi, psi) free-energy surfaces (24: 15 degrees).</summary>
    public int AngleBins { get; init; } = 24;

    /// <summary>Free energies up to this (k_B T) count in the RMSEs.</summary>
    public double Cutoff { get; init; } = 4;

    /// <summary>RK4 steps of the exact log-densities that reweight training frames with the model.</summary>
    public int OdeSteps { get; init; } = 50;

    public int Seed { get; init; } = 42;

    /// <summary>libtorch threads (one: the networks are small).</summary>
    public int Threads { get; init; } = 1;

    public string Output { get; init; } = Path.Combine("out", "alanine-dipeptide");

    public static string Usage => $$"""
        usage: dotnet run -c Release --project samples/AlanineDipeptide -- [options]
          --data FILE                 the data set (the committed alanine-dipeptide.npz)
          --train-temperatures LIST   temperatures (K) trained on (500,725)
          --temperatures LIST         temperatures (K) evaluated (400,500,550,625,725)
          --clusters N                initial k-means states on the (phi, psi) sines and cosines (10)
        {{new AlanineOptions().Training.Usage()}}
          --epochs N                  the same as --max-epochs
          --samples N                 generated latent samples per temperature (20000)
          --angle-bins N              bins per axis of the (phi, psi) surfaces (24)
          --ode-steps N               RK4 steps of the model's exact log-densities (50)
          --seed N                    seed of clustering, training and generation (42)
          --threads N                 libtorch threads (1)
          --output DIR                output folder (out/alanine-dipeptide)
        """;

    /// <summary>Parses the command line; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    public static AlanineOptions Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine(args, Usage);
        var defaults = new AlanineOptions();
        var training = TrainingSettings.Parse(line, defaults.Training);
        training = training with { MaxEpochs = line.WholeNumber("--epochs", training.MaxEpochs) };
        var options = new AlanineOptions
        {
            Data = line.Text("--data", defaults.Data),
            TrainingTemperatures = line.Numbers("--train-temperatures", defaults.TrainingTemperatures),
            EvaluationTemperatures = line.Numbers("--temperatures", defaults.EvaluationTemperatures),
            Clusters = line.WholeNumber("--clusters", defaults.Clusters, minimum: 2),
            Training = training,
            GeneratedSamples = line.WholeNumber("--samples", defaults.GeneratedSamples, minimum: 100),
            AngleBins = line.WholeNumber("--angle-bins", defaults.AngleBins, minimum: 4),
            OdeSteps = line.WholeNumber("--ode-steps", defaults.OdeSteps),
            Seed = line.WholeNumber("--seed", defaults.Seed, minimum: 0),
            Threads = line.WholeNumber("--threads", defaults.Threads),
            Output = line.Text("--output", defaults.Output),
        };
        line.EnsureAllUsed();
        if (!File.Exists(options.Data))
        {
            throw new ArgumentException($"Option --data: the file '{options.Data}' does not exist; pass samples/AlanineDipeptide/data/alanine-dipeptide.npz.\n{Usage}");
        }

        if (options.TrainingTemperatures.Count < 2)
        {
            throw new ArgumentException($"Train on at least two temperatures (MBAR, the baseline, needs them too).\n{Usage}");
        }

        var missing = options.TrainingTemperatures.Where(t => !options.EvaluationTemperatures.Contains(t)).ToArray();
        if (missing.Length > 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Every training temperature must also be evaluated: add {string.Join(",", missing)} to --temperatures.\n{Usage}"));
        }

        return options;
    }
}
