using MathNet.Numerics.Random;

namespace DSpib.Systems.Dynamics;

/// <summary>
/// Standard normal numbers for one walker, from its own xoshiro256** stream seeded by (seed, walker), so a walker's
/// trajectory does not depend on how walkers are scheduled on threads.
/// </summary>
internal sealed class GaussianStream
{
    private readonly Xoshiro256StarStar _uniform;
    private double _spare;
    private bool _hasSpare;

    public GaussianStream(int seed, int walker)
    {
        _uniform = new Xoshiro256StarStar(DeriveSeed(seed, walker), threadSafe: false);
    }

    /// <summary>One N(0, 1) draw (Box-Muller; the second value of each pair is kept for the next call).</summary>
    public double Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        var u1 = 1.0 - _uniform.NextDouble();
        var u2 = _uniform.NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        var angle = 2.0 * Math.PI * u2;
        _spare = radius * Math.Sin(angle);
        _hasSpare = true;
        return radius * Math.Cos(angle);
    }

    /// <summary>SplitMix64 of (seed, walker): well-separated streams for neighbouring walker indices.</summary>
    private static int DeriveSeed(int seed, int walker)
    {
        unchecked
        {
            var z = ((ulong)(uint)seed << 32) + (ulong)(uint)walker + 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z ^ (z >> 32));
        }
    }
}
