namespace DSpib.Samples.EnhancedSampling;

/// <summary>Command-line settings of the enhanced-sampling sample.</summary>
internal sealed record EnhancedOptions
{
    public const string Usage = """
        Usage: dotnet run -c Release --project samples/EnhancedSampling -- [options]
          --system three-hole  three-hole (overdamped, exact answer on a grid) or lj7 (BAOAB, exact answer from a long run);
                               the defaults in brackets are LJ7's
          --seeds 1,2,3        seeds, one full run each
          --temperature 0.25   k_B T [0.2]
          --walkers 4          walkers per simulation (they share the metadynamics bias)
          --initial-steps 50000  steps per walker of the first, unbiased run [100000]
          --round-steps 250000   steps per walker of each metadynamics round but the last [100000]
          --final-steps 3000000  steps per walker of the last round, whose frames give the estimates [1000000]
          --rounds 3           metadynamics rounds (each but the last followed by retraining)
          --stride 50          steps per recorded frame [100]
          --reference-steps 2500000  LJ7 only: steps per walker of the 16 walkers of the long reference run
          --bias-factor 10     well-tempered bias factor gamma
          --height 0.3         initial hill height, in units of k_B T
          --hill-stride 250    force evaluations of a walker between its hills
          --discard 0.2        fraction of the last round left out of the estimates (the bias's build-up)
          --epochs 20          training epochs per round
          --retraining uniform  how retraining weights the biased frames: uniform (every frame alike) or reweighted
                               (each round's frames by their c(t) weights, scaled to a mean of 1 within the round)
          --final-bias metadynamics  the last round's bias: metadynamics, or learned (the free energy along the variable
                               that a D-SPIB model, trained before it on the frames so far with their equilibrium
                               weights, learned: a static bias of 1 - 1/gamma of it, capped at 10 k_B T)
          --output out/enhanced-sampling [out/enhanced-sampling-lj7]
        """;

    /// <summary>The value of <see cref="System"/> that selects LJ7.</summary>
    public const string Lj7 = "lj7";

    /// <summary>The system the loop runs on: "three-hole" or <see cref="Lj7"/>.</summary>
    public string System { get; init; } = "three-hole";

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

    /// <summary>The value of <see cref="Retraining"/> that weights biased frames by their c(t) weights.</summary>
    public const string Reweighted = "reweighted";

    /// <summary>How retraining weights the frames of the metadynamics rounds: "uniform" or <see cref="Reweighted"/>.</summary>
    public string Retraining { get; init; } = "uniform";

    /// <summary>The value of <see cref="FinalBias"/> that biases the last round by the learned free energy.</summary>
    public const string Learned = "learned";

    /// <summary>The last round's bias: "metadynamics" or <see cref="Learned"/>.</summary>
    public string FinalBias { get; init; } = "metadynamics";

    /// <summary>Whether the last round is biased by the learned free energy instead of metadynamics.</summary>
    public bool LearnedFinalBias => FinalBias == Learned;

    /// <summary>The method's name in the log and the table.</summary>
    public string MethodName => LearnedFinalBias ? "learned F" : "metadynamics";

    /// <summary>LJ7 only: steps per walker of the long unbiased run that gives the exact answer.</summary>
    public int ReferenceSteps { get; init; } = 2_500_000;

    /// <summary>Steps per walker of a metadynamics round.</summary>
    public int StepsOfRound(int round) => round == Rounds ? FinalSteps : RoundSteps;

    public string Output { get; init; } = Path.Combine("out", "enhanced-sampling");

    public static EnhancedOptions Parse(IReadOnlyList<string> args)
    {
        var line = new CommandLine(args, Usage);
        var system = line.Choice("--system", "three-hole", "three-hole", Lj7);
        var lj7 = system == Lj7;
        var options = new EnhancedOptions
        {
            System = system,
            Seeds = line.Numbers("--seeds", [1, 2, 3]).Select(s => (int)s).ToArray(),
            Temperature = line.Number("--temperature", lj7 ? 0.2 : 0.25),
            Walkers = line.WholeNumber("--walkers", 4),
            InitialSteps = line.WholeNumber("--initial-steps", lj7 ? 100_000 : 50_000),
            RoundSteps = line.WholeNumber("--round-steps", lj7 ? 100_000 : 250_000),
            FinalSteps = line.WholeNumber("--final-steps", lj7 ? 1_000_000 : 3_000_000),
            Rounds = line.WholeNumber("--rounds", 3),
            StepsPerFrame = line.WholeNumber("--stride", lj7 ? 100 : 50),
            ReferenceSteps = line.WholeNumber("--reference-steps", 2_500_000),
            BiasFactor = line.Number("--bias-factor", 10),
            Height = line.Number("--height", 0.3),
            HillStride = line.WholeNumber("--hill-stride", 250),
            Epochs = line.WholeNumber("--epochs", 20),
            Retraining = line.Choice("--retraining", "uniform", "uniform", Reweighted),
            FinalBias = line.Choice("--final-bias", "metadynamics", "metadynamics", Learned),
            Discard = line.Fraction("--discard", 0.2),
            Output = line.Text("--output", Path.Combine("out", lj7 ? "enhanced-sampling-lj7" : "enhanced-sampling")),
        };
        line.EnsureAllUsed();
        return options;
    }
}
