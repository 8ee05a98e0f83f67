namespace DSpib.Samples.EnhancedSampling;

/// <summary>Command-line settings of the enhanced-sampling sample.</summary>
internal sealed record EnhancedOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project samples/EnhancedSampling -- [options]
          --seeds 1,2,3        seeds, one full run each
          --temperature 0.25   k_B T of the three-hole potential
          --walkers 4          walkers per simulation (they share the metadynamics bias)
          --initial-steps 50000  steps per walker of the first, unbiased run
          --round-steps 250000   steps per walker of each metadynamics round but the last
          --final-steps 3000000  steps per walker of the last round, whose frames give the estimates
          --rounds 3           metadynamics rounds (each but the last followed by retraining)
          --stride 50          steps per recorded frame
          --bias-factor 10     well-tempered bias factor gamma
          --height 0.3         initial hill height, in units of k_B T
          --hill-stride 250    force evaluations of a walker between its hills
          --discard 0.2        fraction of the last round left out of the estimates (the bias's build-up)
          --epochs 20          training epochs per round
          --output out/enhanced-sampling
        """;

    public IReadOnlyList<int> Seeds { get; init; } = [1, 2, 3];

    public double Temperature { get; init; } = 0.25;

    public int Walkers { get; init; } = 4;

    public int InitialSteps { get; init; } = 50_000;

    public int RoundSteps { get; init; } = 250_000;

    public int FinalSteps { get; init; } = 3_000_000;

    public int Rounds { get; init; } = 3;

    public int StepsPerFrame { get; init; } = 50;

    public double BiasFactor { get; init; } = 10;

    public double Height { get; init; } = 0.3;

    public int HillStride { get; init; } = 250;

    public int Epochs { get; init; } = 20;

    public double Discard { get; init; } = 0.2;

    /// <summary>Steps per walker of a metadynamics round.</summary>
    public int StepsOfRound(int round) => round == Rounds ? FinalSteps : RoundSteps;

    public double TimeStep { get; init; } = 1e-3;

    public string Output { get; init; } = Path.Combine("out", "enhanced-sampling");

    public static EnhancedOptions Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine(args, Usage);
        var options = new EnhancedOptions
        {
            Seeds = line.Numbers("--seeds", [1, 2, 3]).Select(s => (int)s).ToArray(),
            Temperature = line.Number("--temperature", 0.25),
            Walkers = line.WholeNumber("--walkers", 4),
            InitialSteps = line.WholeNumber("--initial-steps", 50_000),
            RoundSteps = line.WholeNumber("--round-steps", 250_000),
            FinalSteps = line.WholeNumber("--final-steps", 3_000_000),
            Rounds = line.WholeNumber("--rounds", 3),
            StepsPerFrame = line.WholeNumber("--stride", 50),
            BiasFactor = line.Number("--bias-factor", 10),
            Height = line.Number("--height", 0.3),
            HillStride = line.WholeNumber("--hill-stride", 250),
            Epochs = line.WholeNumber("--epochs", 20),
            Discard = line.Fraction("--discard", 0.2),
            Output = line.Text("--output", Path.Combine("out", "enhanced-sampling")),
        };
        line.EnsureAllUsed();
        return options;
    }
}
