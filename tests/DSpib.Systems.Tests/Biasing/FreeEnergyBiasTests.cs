using DSpib.Analysis;
using DSpib.Systems.Biasing;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;
using Xunit.Abstractions;

namespace DSpib.Systems.Tests.Biasing;

/// <summary>A static bias from a tabulated free energy along a collective variable: its forces, its interpolation, and a biased run.</summary>
public class FreeEnergyBiasTests(ITestOutputHelper output)
{
    /// <summary>The quartic double well 5 (s^2 - 1)^2, in k_B T.</summary>
    private static double Quartic(double s) => 5 * Math.Pow((s * s) - 1, 2);

    private static double QuarticSlope(double s) => 20 * s * ((s * s) - 1);

    /// <summary>A smooth two-dimensional F: the quartic along a, and a quadratic valley along b = a / 2.</summary>
    private static double Valley(double a, double b) => Quartic(a) + (4 * Math.Pow(b - (0.5 * a), 2));

    private static double[,] ValleyTable(double[] a, double[] b)
    {
        var table = new double[a.Length, b.Length];
        for (var i = 0; i < a.Length; i++)
        {
            for (var j = 0; j < b.Length; j++)
            {
                table[i, j] = Valley(a[i], b[j]);
            }
        }

        return table;
    }

    private static double[] Uniform(double low, double high, int points) =>
        Enumerable.Range(0, points).Select(i => low + ((high - low) * i / (points - 1))).ToArray();

    [Fact]
    public void FromProfile_GradientIsTheDerivativeOfTheEnergy_ThroughANonlinearVariable()
    {
        // An uneven grid (denser in the middle) and a cap that the table crosses, so the spline has kinks to round off.
        var grid = Enumerable.Range(0, 61).Select(i => 2.2 * Math.Sinh(1.5 * ((i / 30.0) - 1)) / Math.Sinh(1.5)).ToArray();
        var bias = FreeEnergyBias.FromProfile(new Bent(), grid, grid.Select(Quartic).ToArray(), new FreeEnergyBiasOptions { Temperature = 0.6, Factor = 0.7, Cap = 8 });

        CheckGradient(bias, 3, seed: 1);
    }

    [Fact]
    public void FromSurface_GradientIsTheDerivativeOfTheEnergy_ThroughANonlinearVariable()
    {
        var x = Enumerable.Range(0, 41).Select(i => 2.2 * Math.Sinh(1.5 * ((i / 20.0) - 1)) / Math.Sinh(1.5)).ToArray();
        var y = Uniform(-2.5, 2.5, 51);
        var table = ValleyTable(x, y);

        var bias = FreeEnergyBias.FromSurface(new BentPair(), x, y, table, new FreeEnergyBiasOptions { Temperature = 0.6, Factor = 0.7, Cap = 12 });

        CheckGradient(bias, 3, seed: 2);
    }

    [Fact]
    public void OutsideTheGrid_TheEnergyIsThatOfTheNearestEdge_AndTheForceAlongItIsZero()
    {
        var grid = Uniform(-2, 2, 41);
        var options = new FreeEnergyBiasOptions { Temperature = 0.5 };
        var profile = FreeEnergyBias.FromProfile(new Identity(1), grid, grid.Select(Quartic).ToArray(), options);
        var table = ValleyTable(grid, grid);

        var surface = FreeEnergyBias.FromSurface(new Identity(2), grid, grid, table, options);
        var slope = new double[2];

        profile.Energy([3.0], slope.AsSpan(0, 1)).Should().BeApproximately(-0.5 * Quartic(2), 1e-9);
        slope[0].Should().Be(0);
        surface.Energy([0.3, -5.0], slope).Should().Be(surface.Energy([0.3, -2.0], new double[2]));
        slope[1].Should().Be(0);
        slope[0].Should().NotBe(0, "inside the grid along the first coordinate the force remains");
    }

    [Fact]
    public void TheSpline_ReproducesASmoothQuartic_ToTheBoundOfItsGridSpacing()
    {
        // Natural cubic spline, h = 0.05: away from the ends it is within (5/384) h^4 max|F''''| = 9.8e-6 of F and within
        // (1/24) h^3 max|F''''| = 6.3e-4 of F' (the clamped-spline bounds of Hall and Meyer, 1976; F'''' = 120). The
        // natural ends' O(h^2) error decays by 2 - sqrt(3) per node, so 14 nodes in from the ends it is below 1e-9.
        const double Spacing = 0.05;
        var grid = Uniform(-2.5, 2.5, 101);
        var bias = FreeEnergyBias.FromProfile(new Identity(1), grid, grid.Select(Quartic).ToArray(), new FreeEnergyBiasOptions());
        double worstValue = 0, worstSlope = 0;
        var slope = new double[1];
        foreach (var s in Uniform(-1.8, 1.8, 997))
        {
            worstValue = Math.Max(worstValue, Math.Abs(-bias.Energy([s], slope) - Quartic(s)));
            worstSlope = Math.Max(worstSlope, Math.Abs(-slope[0] - QuarticSlope(s)));
        }

        output.WriteLine($"1-D: largest error {worstValue:E2} in F, {worstSlope:E2} in F'");
        worstValue.Should().BeLessThan(5.0 / 384 * Math.Pow(Spacing, 4) * 120);
        worstSlope.Should().BeLessThan(1.0 / 24 * Math.Pow(Spacing, 3) * 120);
    }

    [Fact]
    public void TheBicubicSpline_ReproducesASmoothValley_ToTheBoundOfItsGridSpacing()
    {
        // The tensor-product spline of a sum of one-dimensional terms is the sum of their splines, and it is exact for
        // a b; the quadratics are exact away from the edges. So the one-dimensional bounds of the quartic hold.
        const double Spacing = 0.05;
        var grid = Uniform(-2.5, 2.5, 101);
        var table = ValleyTable(grid, grid);

        var bias = FreeEnergyBias.FromSurface(new Identity(2), grid, grid, table, new FreeEnergyBiasOptions());
        double worstValue = 0, worstSlope = 0;
        var slope = new double[2];
        var random = new Random(3);
        for (var n = 0; n < 2_000; n++)
        {
            var (a, b) = ((3.6 * random.NextDouble()) - 1.8, (3.6 * random.NextDouble()) - 1.8);
            worstValue = Math.Max(worstValue, Math.Abs(-bias.Energy([a, b], slope) - Valley(a, b)));
            worstSlope = Math.Max(worstSlope, Math.Abs(-slope[0] - QuarticSlope(a) + (4 * (b - (0.5 * a)))));
            worstSlope = Math.Max(worstSlope, Math.Abs(-slope[1] - (8 * (b - (0.5 * a)))));
        }

        output.WriteLine($"2-D: largest error {worstValue:E2} in F, {worstSlope:E2} in its gradient");
        worstValue.Should().BeLessThan(5.0 / 384 * Math.Pow(Spacing, 4) * 120);
        worstSlope.Should().BeLessThan(1.0 / 24 * Math.Pow(Spacing, 3) * 120);
    }

    [Fact]
    public void TheBias_IsMinusFactorKTTimesTheProfilesAndSurfacesOwnInterpolant()
    {
        var random = new Random(4);
        var samples = Enumerable.Range(0, 2_000).Select(_ => Gaussian(random) + (random.Next(2) == 0 ? -1.5 : 1.5)).ToArray();
        var profile = FreeEnergyProfile.FromKde(samples, 0.2, 80);
        var options = new FreeEnergyBiasOptions { Temperature = 0.7, Factor = 0.75 };
        var alongProfile = FreeEnergyBias.FromProfile(new Identity(1), profile.Grid, profile.FreeEnergy, options);

        var pairs = new double[3_000, 2];
        for (var n = 0; n < 3_000; n++)
        {
            (pairs[n, 0], pairs[n, 1]) = (Gaussian(random), 0.5 * Gaussian(random));
        }

        // A histogram has empty bins (+infinity): the bias caps them as Capped does.
        var surface = FreeEnergySurface.FromHistogram(pairs, 30);
        var capped = options with { Cap = 6 };
        var alongSurface = FreeEnergyBias.FromSurface(new Identity(2), surface.X, surface.Y, surface.ToMatrix(), capped);
        var cappedSurface = surface.Capped(6);
        var slope = new double[2];
        for (var n = 0; n < 200; n++)
        {
            var s = (8 * random.NextDouble()) - 4;
            var f = profile.Evaluate(s, out var derivative);
            alongProfile.Energy([s], slope.AsSpan(0, 1)).Should().BeApproximately(-0.75 * 0.7 * f, 1e-12);
            slope[0].Should().BeApproximately(-0.75 * 0.7 * derivative, 1e-10);

            var (a, b) = ((6 * random.NextDouble()) - 3, (3 * random.NextDouble()) - 1.5);
            var g = cappedSurface.Evaluate(a, b, out var dx, out var dy);
            alongSurface.Energy([a, b], slope).Should().BeApproximately(-0.75 * 0.7 * g, 1e-12);
            slope[0].Should().BeApproximately(-0.75 * 0.7 * dx, 1e-10);
            slope[1].Should().BeApproximately(-0.75 * 0.7 * dy, 1e-10);
            alongSurface.LogWeight(0, [a, b]).Should().BeApproximately(-0.75 * g, 1e-12);
        }
    }

    [Fact]
    public void InfiniteAndHighFreeEnergies_AreClampedToTheCap_OrToTheLargestFiniteValue()
    {
        var grid = Uniform(0, 4, 5);
        double[] table = [0, 3, 20, double.PositiveInfinity, 2];
        var slope = new double[1];

        var capped = FreeEnergyBias.FromProfile(new Identity(1), grid, table, new FreeEnergyBiasOptions { Temperature = 2, Cap = 10 });
        var uncapped = FreeEnergyBias.FromProfile(new Identity(1), grid, table, new FreeEnergyBiasOptions { Temperature = 2 });

        capped.Energy([2.0], slope).Should().BeApproximately(-20, 1e-12);
        capped.Energy([3.0], slope).Should().BeApproximately(-20, 1e-12);
        uncapped.Energy([3.0], slope).Should().BeApproximately(-40, 1e-12);
        Uniform(0, 4, 101).Select(s => uncapped.Energy([s], slope)).Should().OnlyContain(u => double.IsFinite(u));

        // F is shifted to minimum 0 first: a constant moves neither the forces nor the normalised weights.
        var shifted = FreeEnergyBias.FromProfile(new Identity(1), grid, table.Select(f => f + 100).ToArray(), new FreeEnergyBiasOptions { Temperature = 2, Cap = 10 });
        shifted.Energy([1.5], slope).Should().BeApproximately(capped.Energy([1.5], new double[1]), 1e-12);
    }

    [Fact]
    public void SharedByManyThreads_EveryCallGivesTheSameForce()
    {
        var grid = Uniform(-2, 2, 41);
        var bias = FreeEnergyBias.FromProfile(new Bent(), grid, grid.Select(Quartic).ToArray(), new FreeEnergyBiasOptions());
        var points = Enumerable.Range(0, 400).Select(n => new[] { Math.Sin(n), 0.5 * Math.Cos(3 * n), 0.1 * n % 1 }).ToArray();
        double[] Force(double[] x)
        {
            var g = new double[3];
            return [bias.AddEnergyAndGradient(0, x, g), .. g];
        }

        var expected = points.Select(Force).ToArray();
        var mismatches = 0;
        Parallel.For(0, 40_000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, n =>
        {
            if (!Force(points[n % 400]).SequenceEqual(expected[n % 400]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        mismatches.Should().Be(0);
    }

    [Fact]
    public void BadInput_IsRefusedNamingTheArgumentAndTheFix()
    {
        var grid = Uniform(-1, 1, 5);
        var table = grid.Select(Quartic).ToArray();
        var options = new FreeEnergyBiasOptions();

        Action zeroTemperature = () => FreeEnergyBias.FromProfile(new Identity(1), grid, table, options with { Temperature = 0 });
        Action bigFactor = () => FreeEnergyBias.FromProfile(new Identity(1), grid, table, options with { Factor = 1.5 });
        Action nanFactor = () => FreeEnergyBias.FromProfile(new Identity(1), grid, table, options with { Factor = double.NaN });
        Action negativeCap = () => FreeEnergyBias.FromProfile(new Identity(1), grid, table, options with { Cap = -1 });
        Action twoValues = () => FreeEnergyBias.FromProfile(new Identity(2), grid, table, options);
        Action oneValue = () => FreeEnergyBias.FromSurface(new Identity(1), grid, grid, new double[5, 5], options);
        Action tooFew = () => FreeEnergyBias.FromProfile(new Identity(1), grid, table[..4], options);
        Action unsorted = () => FreeEnergyBias.FromProfile(new Identity(1), [0.0, 2, 1, 3, 4], table, options);
        Action notANumber = () => FreeEnergyBias.FromProfile(new Identity(1), grid, [0, 1, double.NaN, 1, 0], options);
        Action wrongShape = () => FreeEnergyBias.FromSurface(new Identity(2), grid, grid[..4], new double[5, 5], options);

        zeroTemperature.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Temperature" && e.Message.Contains("LangevinOptions.Temperature"));
        bigFactor.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Factor" && e.Message.Contains("1 - 1/gamma"));
        nanFactor.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Factor");
        negativeCap.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Cap");
        twoValues.Should().Throw<ArgumentException>().Where(e => e.ParamName == "cv" && e.Message.Contains("FromSurface"));
        oneValue.Should().Throw<ArgumentException>().Where(e => e.ParamName == "cv" && e.Message.Contains("FromProfile"));
        tooFew.Should().Throw<ArgumentException>().Where(e => e.ParamName == "freeEnergy");
        unsorted.Should().Throw<ArgumentException>().Where(e => e.ParamName == "grid" && e.Message.Contains("increasing"));
        notANumber.Should().Throw<ArgumentException>().Where(e => e.ParamName == "freeEnergy" && e.Message.Contains("NaN"));
        wrongShape.Should().Throw<ArgumentException>().Where(e => e.ParamName == "freeEnergy" && e.Message.Contains("5 x 4"));
    }

    [Fact]
    public void BiasedByItsOwnFreeEnergy_ADoubleWellIsFlatAlongTheVariable_AndTheWeightsRecoverItsPopulations()
    {
        // V(x, y) = 4 (x^2 - 1)^2 + 0.4 x + 2 y^2 at k_B T = 1: wells at x = -1 and x = +1 (populations about 0.69 and
        // 0.31) behind a barrier of 4.4 k_B T, along s = x + 0.3 y + 0.4 y^2, a variable that mixes in y nonlinearly.
        // Its exact F(s) = -ln integral exp(-V(s - g(y), y)) dy (the map (x, y) -> (s, y) has unit Jacobian) is tabulated
        // by quadrature, and the bias removes all of it (factor 1) up to a cap of 8 k_B T.
        const double Cap = 8;
        var potential = new TiltedDoubleWell();
        var grid = Uniform(-2.2, 2.4, 231);
        var free = grid.Select(s => -Math.Log(Quadrature(y => Math.Exp(-potential.Energy([s - TiltedDoubleWell.Bend(y), y]))))).ToArray();
        var bias = FreeEnergyBias.FromProfile(new BentDoubleWellVariable(), grid, free, new FreeEnergyBiasOptions { Temperature = 1, Cap = Cap });
        var options = new LangevinOptions { Temperature = 1, TimeStep = 1e-3, Walkers = 4, FramesPerWalker = 50_000, StepsPerFrame = 50, EquilibrationSteps = 2_000, Seed = 5 };

        var run = new OverdampedLangevin(options).Run(potential, bias, [[-1.0, 0.0]]);

        var frames = run.Trajectories.SelectMany(t => Enumerable.Range(0, t.GetLength(0)).Select(n => (X: t[n, 0], S: BentDoubleWellVariable.Value(t[n, 0], t[n, 1])))).ToArray();
        var logWeights = run.LogWeights!.SelectMany(w => w).ToArray();
        var blocks = Blocks(frames.Length, options.Walkers * 10);

        // Flat histogram where F is below Cap - 2 (clear of the kink the cap makes): 20 bins of s, each with its standard
        // error from 40 blocks of 5,000 frames (250 time units, far above the ~10 it takes to diffuse across the range).
        var below = grid.Where((s, j) => free[j] - free.Min() < Cap - 2).ToArray();
        var (low, high) = (below.Min(), below.Max());
        const int Bins = 20;
        var inRange = frames.Select(f => f.S >= low && f.S < high).ToArray();
        double worstSigmas = 0, worstRelative = 0, largestError = 0;
        for (var b = 0; b < Bins; b++)
        {
            var (from, to) = (low + ((high - low) * b / Bins), low + ((high - low) * (b + 1) / Bins));
            var perBlock = blocks.Select(block => Fraction(block, n => frames[n].S >= from && frames[n].S < to ? 1 : 0, n => inRange[n] ? 1 : 0)).ToArray();
            var (mean, error) = MeanAndStandardError(perBlock);
            worstSigmas = Math.Max(worstSigmas, Math.Abs(mean - (1.0 / Bins)) / error);
            worstRelative = Math.Max(worstRelative, Math.Abs((mean * Bins) - 1));
            largestError = Math.Max(largestError, error * Bins);
        }

        // The population of the left well (x < 0) from the reweighted frames, with its error from the same blocks,
        // against the exact one (y separates out of V, so it is a one-dimensional quadrature along x).
        var shift = logWeights.Max();
        var weights = logWeights.Select(w => Math.Exp(w - shift)).ToArray();
        var left = Fraction(Enumerable.Range(0, frames.Length), n => frames[n].X < 0 ? weights[n] : 0, n => weights[n]);
        var (_, leftError) = MeanAndStandardError(blocks.Select(block => Fraction(block, n => frames[n].X < 0 ? weights[n] : 0, n => weights[n])).ToArray());
        var exactLeft = Quadrature(x => x < 0 ? Math.Exp(-potential.Energy([x, 0])) : 0, -3, 3, 6_001) / Quadrature(x => Math.Exp(-potential.Energy([x, 0])), -3, 3, 6_001);
        var biasedLeft = frames.Count(f => f.X < 0) / (double)frames.Length;

        output.WriteLine($"flat histogram over s in [{low:F2}, {high:F2}]: largest bin deviation {worstRelative:P1} of the mean ({worstSigmas:F2} standard errors; the largest standard error {largestError:P1})");
        output.WriteLine($"left well: reweighted {left:F4} +- {leftError:F4}, exact {exactLeft:F4}, biased frames {biasedLeft:F4}");

        // Each bin within 4 of its standard errors (20 bins: a false alarm about once in 800 seeds), with errors of at
        // most 5% of the flat value, while without the bias the density over this range varies by a factor exp(6). The
        // Euler step's own bias is about 2% in the worst bin at this time step (measured: 7% at four times the step).
        largestError.Should().BeLessThan(0.05, "the run must be long enough for the flatness check to mean something");
        worstSigmas.Should().BeLessThan(4);

        // The reweighted population within 4 standard errors (about 0.01 here) of the exact one, where the biased
        // frames alone are 0.25 away.
        leftError.Should().BeLessThan(0.02, "the run must be long enough for the population check to mean something");
        left.Should().BeApproximately(exactLeft, 4 * leftError);
    }

    /// <summary>Energy against central differences in every coordinate, at random points whose variable is inside the grid.</summary>
    private static void CheckGradient(FreeEnergyBias bias, int coordinates, int seed)
    {
        const double Step = 1e-5;
        var random = new Random(seed);
        for (var n = 0; n < 50; n++)
        {
            var x = Enumerable.Range(0, coordinates).Select(_ => (3.0 * random.NextDouble()) - 1.5).ToArray();
            var gradient = new double[coordinates];
            bias.AddEnergyAndGradient(0, x, gradient);
            for (var i = 0; i < coordinates; i++)
            {
                var (plus, minus) = ((double[])x.Clone(), (double[])x.Clone());
                plus[i] += Step;
                minus[i] -= Step;
                var difference = (bias.AddEnergyAndGradient(0, plus, new double[coordinates]) - bias.AddEnergyAndGradient(0, minus, new double[coordinates])) / (2 * Step);

                // The spline is twice continuously differentiable, so the central difference is O(Step^2) accurate;
                // rounding adds about 1e-16 |U| / Step ~ 1e-10.
                gradient[i].Should().BeApproximately(difference, 1e-6 * Math.Max(1, Math.Abs(difference)), $"coordinate {i} at point {n}");
            }
        }
    }

    /// <summary>Trapezoid rule of a smooth function that vanishes at the ends (so it converges faster than any power of the spacing).</summary>
    private static double Quadrature(Func<double, double> f, double low = -3, double high = 3, int points = 601)
    {
        var h = (high - low) / (points - 1);
        return h * Enumerable.Range(0, points).Sum(i => (i == 0 || i == points - 1 ? 0.5 : 1) * f(low + (i * h)));
    }

    /// <summary>Consecutive blocks of frame indices (each walker's frames are consecutive, so blocks do not straddle walkers when their count is a multiple of the walkers').</summary>
    private static IEnumerable<int>[] Blocks(int frames, int count) =>
        Enumerable.Range(0, count).Select(b => Enumerable.Range(b * (frames / count), frames / count)).ToArray();

    private static double Fraction(IEnumerable<int> frames, Func<int, double> numerator, Func<int, double> denominator)
    {
        double top = 0, bottom = 0;
        foreach (var n in frames)
        {
            top += numerator(n);
            bottom += denominator(n);
        }

        return top / bottom;
    }

    private static (double Mean, double StandardError) MeanAndStandardError(double[] values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance / values.Length));
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>V(x, y) = 4 (x^2 - 1)^2 + 0.4 x + 2 y^2.</summary>
    private sealed class TiltedDoubleWell : IPotential
    {
        public int Dimension => 2;

        /// <summary>g(y) in s = x + g(y).</summary>
        public static double Bend(double y) => (0.3 * y) + (0.4 * y * y);

        public double Energy(ReadOnlySpan<double> position)
        {
            var (x, y) = (position[0], position[1]);
            return (4 * Math.Pow((x * x) - 1, 2)) + (0.4 * x) + (2 * y * y);
        }

        public double EnergyAndGradient(ReadOnlySpan<double> position, Span<double> gradient)
        {
            var (x, y) = (position[0], position[1]);
            gradient[0] = (16 * x * ((x * x) - 1)) + 0.4;
            gradient[1] = 4 * y;
            return Energy(position);
        }
    }

    /// <summary>s = x + 0.3 y + 0.4 y^2.</summary>
    private sealed class BentDoubleWellVariable : ICollectiveVariable
    {
        public int InputDimension => 2;

        public int Dimension => 1;

        public static double Value(double x, double y) => x + TiltedDoubleWell.Bend(y);

        public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian)
        {
            value[0] = Value(position[0], position[1]);
            if (!jacobian.IsEmpty)
            {
                jacobian[0] = 1;
                jacobian[1] = 0.3 + (0.8 * position[1]);
            }
        }
    }

    /// <summary>The variable is the coordinates themselves.</summary>
    private sealed class Identity(int dimension) : ICollectiveVariable
    {
        public int InputDimension => dimension;

        public int Dimension => dimension;

        public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian)
        {
            position.CopyTo(value);
            if (!jacobian.IsEmpty)
            {
                jacobian.Clear();
                for (var k = 0; k < dimension; k++)
                {
                    jacobian[(k * dimension) + k] = 1;
                }
            }
        }
    }

    /// <summary>s = x_0 + 0.3 sin(x_1) + 0.2 x_0 x_2: one nonlinear value of three coordinates.</summary>
    private sealed class Bent : ICollectiveVariable
    {
        public int InputDimension => 3;

        public int Dimension => 1;

        public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian)
        {
            value[0] = position[0] + (0.3 * Math.Sin(position[1])) + (0.2 * position[0] * position[2]);
            if (!jacobian.IsEmpty)
            {
                jacobian[0] = 1 + (0.2 * position[2]);
                jacobian[1] = 0.3 * Math.Cos(position[1]);
                jacobian[2] = 0.2 * position[0];
            }
        }
    }

    /// <summary>(x_0 + 0.2 x_1^2, x_1 - 0.3 sin(x_0) + 0.1 x_2): two nonlinear values of three coordinates.</summary>
    private sealed class BentPair : ICollectiveVariable
    {
        public int InputDimension => 3;

        public int Dimension => 2;

        public void Evaluate(ReadOnlySpan<double> position, Span<double> value, Span<double> jacobian)
        {
            value[0] = position[0] + (0.2 * position[1] * position[1]);
            value[1] = position[1] - (0.3 * Math.Sin(position[0])) + (0.1 * position[2]);
            if (!jacobian.IsEmpty)
            {
                jacobian[..6].Clear();
                jacobian[0] = 1;
                jacobian[1] = 0.4 * position[1];
                jacobian[3] = -0.3 * Math.Cos(position[0]);
                jacobian[4] = 1;
                jacobian[5] = 0.1;
            }
        }
    }
}
