using DSpib.Data;

namespace DSpib.Core.Tests.Data;

public class StandardizerTests
{
    private static readonly double[] Ones = [1.0, 1.0];

    /// <summary>
    /// Two trajectories with three features over five frames in all: feature 0 is 1, 3, 5, 7, 9 (mean 5, population
    /// variance 8), feature 1 is constant 10 and feature 2 is 0, 0, 0, 0, 10 (mean 2, population variance 16).
    /// </summary>
    private static TrajectorySet TwoTrajectories() => TrajectorySet.Create()
        .Add(new double[,] { { 1, 10, 0 }, { 3, 10, 0 }, { 5, 10, 0 } }, 1.0)
        .Add(new double[,] { { 7, 10, 0 }, { 9, 10, 10 } }, 2.0)
        .Build();

    [Fact]
    public void Fit_TwoTrajectories_PoolsMeanOverAllFrames()
    {
        var standardizer = Standardizer.Fit(TwoTrajectories());

        standardizer.FeatureCount.Should().Be(3);
        standardizer.Mean[0].Should().BeApproximately(5.0, 1e-12);
        standardizer.Mean[1].Should().BeApproximately(10.0, 1e-12);
        standardizer.Mean[2].Should().BeApproximately(2.0, 1e-12);
    }

    [Fact]
    public void Fit_TwoTrajectories_ScaleIsPopulationStandardDeviation()
    {
        var standardizer = Standardizer.Fit(TwoTrajectories());

        standardizer.Scale[0].Should().BeApproximately(Math.Sqrt(8.0), 1e-12);
        standardizer.Scale[2].Should().BeApproximately(4.0, 1e-12);
    }

    [Fact]
    public void Fit_ConstantFeature_GetsScaleOne()
    {
        var standardizer = Standardizer.Fit(TwoTrajectories());

        standardizer.Scale[1].Should().Be(1.0);
    }

    [Fact]
    public void Fit_ConstantFeatureWithLargeOffset_GetsScaleOne()
    {
        var frames = new double[50, 2];
        for (var n = 0; n < 50; n++)
        {
            frames[n, 0] = 123456.789;
            frames[n, 1] = n;
        }

        var standardizer = Standardizer.Fit(DataFactory.Single(frames));

        standardizer.Mean[0].Should().BeApproximately(123456.789, 1e-6);
        standardizer.Scale[0].Should().Be(1.0);
    }

    [Fact]
    public void Fit_RandomDataWithLargeOffset_MatchesDirectTwoPassComputation()
    {
        var random = new Random(17);
        var first = new double[300, 2];
        var second = new double[200, 2];
        var all = new List<double[]>();
        foreach (var frames in new[] { first, second })
        {
            for (var n = 0; n < frames.GetLength(0); n++)
            {
                frames[n, 0] = 1e6 + random.NextDouble();
                frames[n, 1] = (random.NextDouble() * 20.0) - 3.0;
                all.Add([frames[n, 0], frames[n, 1]]);
            }
        }

        var standardizer = Standardizer.Fit(TrajectorySet.Create().Add(first, 1.0).Add(second, 1.0).Build());

        for (var j = 0; j < 2; j++)
        {
            var mean = all.Average(f => f[j]);
            var std = Math.Sqrt(all.Sum(f => (f[j] - mean) * (f[j] - mean)) / all.Count);
            standardizer.Mean[j].Should().BeApproximately(mean, 1e-9 * Math.Abs(mean));
            standardizer.Scale[j].Should().BeApproximately(std, 1e-9 * std);
        }
    }

    [Fact]
    public void Fit_ThenApply_GivesZeroMeanUnitVariance()
    {
        var data = TwoTrajectories();
        var standardizer = Standardizer.Fit(data);
        var frames = data.ConcatenatedFrames();

        standardizer.ApplyInPlace(frames);

        foreach (var j in new[] { 0, 2 })
        {
            var column = Enumerable.Range(0, 5).Select(n => frames[(n * 3) + j]).ToArray();
            column.Average().Should().BeApproximately(0.0, 1e-12);
            column.Select(v => v * v).Average().Should().BeApproximately(1.0, 1e-12);
        }
    }

    [Fact]
    public void ApplyInPlace_SubtractsMeanAndDividesByScalePerFeature()
    {
        var standardizer = new Standardizer([1.0, -2.0], [2.0, 0.5]);
        double[] frames = [3.0, -1.0, 1.0, -2.0, 0.0, 0.0];

        standardizer.ApplyInPlace(frames);

        frames.Should().Equal(1.0, 2.0, 0.0, 0.0, -0.5, 4.0);
    }

    [Fact]
    public void ApplyInPlace_LengthNotMultipleOfFeatures_Throws()
    {
        var standardizer = new Standardizer([0.0, 0.0], Ones);

        FluentActions.Invoking(() => standardizer.ApplyInPlace(new double[3]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames");
    }

    [Fact]
    public void Constructor_CopiesInputs()
    {
        double[] mean = [1.0, 2.0];
        double[] scale = [3.0, 4.0];
        var standardizer = new Standardizer(mean, scale);

        mean[0] = 100.0;
        scale[0] = 100.0;

        standardizer.Mean.Should().Equal(1.0, 2.0);
        standardizer.Scale.Should().Equal(3.0, 4.0);
    }

    [Fact]
    public void Constructor_CountMismatch_Throws()
    {
        FluentActions.Invoking(() => new Standardizer([0.0, 0.0, 0.0], Ones))
            .Should().Throw<ArgumentException>()
            .WithParameterName("scale")
            .WithMessage("*3 means, 2 scales*");
    }

    [Fact]
    public void Constructor_NoFeatures_Throws()
    {
        FluentActions.Invoking(() => new Standardizer([], []))
            .Should().Throw<ArgumentException>()
            .WithParameterName("scale");
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_NonFiniteMean_Throws(double bad)
    {
        FluentActions.Invoking(() => new Standardizer([0.0, bad], Ones))
            .Should().Throw<ArgumentException>()
            .WithParameterName("mean");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_InvalidScale_Throws(double bad)
    {
        FluentActions.Invoking(() => new Standardizer([0.0, 0.0], [1.0, bad]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("scale");
    }

    [Fact]
    public void Constructor_NullMean_ThrowsArgumentNull()
    {
        FluentActions.Invoking(() => new Standardizer(null!, Ones))
            .Should().Throw<ArgumentNullException>()
            .WithParameterName("mean");
    }
}
