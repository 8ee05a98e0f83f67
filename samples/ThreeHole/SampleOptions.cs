using System.Globalization;

namespace DSpib.Samples.ThreeHole;

/// <summary>Command-line settings of the three-hole sample; every option has a default that finishes in minutes on 2 cores.</summary>
internal sealed record SampleOptions
{
    public int Walkers { get; init; } = 10;

    public int FramesPerWalker { get; init; } = 30_000;

    public double Temperature { get; init; } = 0.6;

    public double TimeStep { get; init; } = 1e-3;

    public int StepsPerFrame { get; init; } = 10;

    public int EquilibrationSteps { get; init; } = 1_000;

    public int Clusters { get; init; } = 100;

    public int Lag { get; init; } = 50;

    public double Beta { get; init; } = 1e-2;

    public double LearningRate { get; init; } = 1e-3;

    public int BatchSize { get; init; } = 512;

    public int Refinements { get; init; } = 10;

    public int MaxEpochs { get; init; } = 1000;

    public int Seed { get; init; } = 42;

    public int VerificationWalkers { get; init; } = 40;

    public int VerificationFrames { get; init; } = 25_000;

    public int VerificationStride { get; init; } = 100;

    public string Output { get; init; } = Path.Combine("out", "three-hole");

    public static string Usage => """
        usage: dotnet run -c Release --project samples/ThreeHole -- [options]
          --walkers N          independent Langevin walkers (10)
          --frames N           frames per walker (30000)
          --temperature T      k_B T (0.6)
          --dt X               time step (0.001)
          --stride N           integration steps per frame (10)
          --clusters N         initial k-means states on (x, y) (100)
          --lag N              lag in frames (50)
          --beta X             information bottleneck weight (0.01)
          --learning-rate X    Adam learning rate (0.001)
          --batch N            batch size (512)
          --refinements N      label refinement rounds (10)
          --max-epochs N       epoch cap (1000)
          --seed N             seed of simulation, clustering and training (42)
          --verify-walkers N   walkers of the independent run that measures state populations (40)
          --verify-frames N    frames per walker of that run (25000)
          --verify-stride N    steps per frame of that run (100)
          --output DIR         output folder (out/three-hole)
        """;

    /// <summary>Parses <c>--name value</c> pairs; throws <see cref="ArgumentException"/> naming a bad option.</summary>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleOptions();
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"Option {name} needs a value.\n{Usage}");
            }

            var value = args[i + 1];
            options = name switch
            {
                "--walkers" => options with { Walkers = Int(name, value) },
                "--frames" => options with { FramesPerWalker = Int(name, value) },
                "--temperature" => options with { Temperature = Real(name, value) },
                "--dt" => options with { TimeStep = Real(name, value) },
                "--stride" => options with { StepsPerFrame = Int(name, value) },
                "--clusters" => options with { Clusters = Int(name, value) },
                "--lag" => options with { Lag = Int(name, value) },
                "--beta" => options with { Beta = Real(name, value) },
                "--learning-rate" => options with { LearningRate = Real(name, value) },
                "--batch" => options with { BatchSize = Int(name, value) },
                "--refinements" => options with { Refinements = Int(name, value) },
                "--max-epochs" => options with { MaxEpochs = Int(name, value) },
                "--seed" => options with { Seed = Int(name, value) },
                "--verify-walkers" => options with { VerificationWalkers = Int(name, value) },
                "--verify-frames" => options with { VerificationFrames = Int(name, value) },
                "--verify-stride" => options with { VerificationStride = Int(name, value) },
                "--output" => options with { Output = value },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }

        return options;
    }

    private static int Int(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new ArgumentException($"Option {name} needs a whole number, not '{value}'.");

    private static double Real(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var result)
            ? result
            : throw new ArgumentException($"Option {name} needs a number, not '{value}'.");
}
