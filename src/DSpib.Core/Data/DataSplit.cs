namespace DSpib.Data;

/// <summary>
/// A seeded random partition of sample indices into training, test (monitoring) and validation (held-out) parts.
/// </summary>
public sealed class DataSplit
{
    private readonly int[] _train;
    private readonly int[] _test;
    private readonly int[] _validation;

    private DataSplit(int[] train, int[] test, int[] validation)
    {
        _train = train;
        _test = test;
        _validation = validation;
    }

    /// <summary>Indices used for training.</summary>
    public IReadOnlyList<int> Train => _train;

    /// <summary>Indices used to monitor the loss during training.</summary>
    public IReadOnlyList<int> Test => _test;

    /// <summary>Indices held out for evaluation after training.</summary>
    public IReadOnlyList<int> Validation => _validation;

    /// <summary>
    /// Shuffles <c>0..count-1</c> with <paramref name="seed"/> and cuts it into parts of the given fractions; the
    /// validation part gets the rest.
    /// </summary>
    /// <param name="count">Number of samples.</param>
    /// <param name="trainFraction">Fraction used for training (reference 0.6).</param>
    /// <param name="testFraction">Fraction used for monitoring (reference 0.2).</param>
    /// <param name="seed">Seed of the shuffle.</param>
    public static DataSplit Random(int count, double trainFraction = 0.6, double testFraction = 0.2, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 2);
        EnsureFractions(trainFraction, testFraction);

        var indices = Enumerable.Range(0, count).ToArray();
        new MathNet.Numerics.Random.Xoshiro256StarStar(seed).Shuffle(indices);
        var trainCount = Math.Max(1, (int)Math.Round(count * trainFraction));
        var testCount = Math.Min(count - trainCount, (int)Math.Round(count * testFraction));
        var train = indices[..trainCount];
        var test = indices[trainCount..(trainCount + testCount)];
        var validation = indices[(trainCount + testCount)..];
        Array.Sort(train);
        Array.Sort(test);
        Array.Sort(validation);
        return new DataSplit(train, test, validation);
    }

    /// <summary>Throws, naming the argument, unless 0 &lt; train &lt;= 1 and 0 &lt;= test &lt;= 1 - train.</summary>
    internal static void EnsureFractions(double trainFraction, double testFraction)
    {
        if (!(trainFraction > 0 && trainFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The training fraction must be in (0, 1].");
        }

        if (!(testFraction >= 0 && trainFraction + testFraction <= 1 + 1e-12))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in [0, 1 - trainFraction].");
        }
    }
}
