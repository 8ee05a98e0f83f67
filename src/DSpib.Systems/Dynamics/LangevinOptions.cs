namespace DSpib.Systems.Dynamics;

/// <summary>Settings of a Langevin simulation of several independent walkers.</summary>
public sealed record LangevinOptions
{
    /// <summary>k_B T, in the potential's energy units (positive).</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Integration time step (positive).</summary>
    public double TimeStep { get; init; } = 1e-3;

    /// <summary>Friction coefficient gamma (positive; default 1).</summary>
    public double Friction { get; init; } = 1.0;

    /// <summary>Particle mass (positive; default 1). Used by underdamped dynamics only.</summary>
    public double Mass { get; init; } = 1.0;

    /// <summary>Number of independent walkers (at least 1).</summary>
    public int Walkers { get; init; } = 1;

    /// <summary>Frames recorded per walker (at least 1).</summary>
    public int FramesPerWalker { get; init; } = 1_000;

    /// <summary>Integration steps between recorded frames (at least 1).</summary>
    public int StepsPerFrame { get; init; } = 10;

    /// <summary>Steps run and discarded before the first frame (at least 0).</summary>
    public int EquilibrationSteps { get; init; }

    /// <summary>Seed; walker i draws from its own stream derived from (Seed, i).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Positive(Temperature, nameof(Temperature));
        Positive(TimeStep, nameof(TimeStep));
        Positive(Friction, nameof(Friction));
        Positive(Mass, nameof(Mass));
        AtLeast(Walkers, 1, nameof(Walkers));
        AtLeast(FramesPerWalker, 1, nameof(FramesPerWalker));
        AtLeast(StepsPerFrame, 1, nameof(StepsPerFrame));
        AtLeast(EquilibrationSteps, 0, nameof(EquilibrationSteps));
    }

    private static void Positive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
        }
    }

    private static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least {minimum}.");
        }
    }
}
