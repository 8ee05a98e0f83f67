using DSpib.Data;
using MathNet.Numerics.LinearAlgebra;

namespace DSpib.Core.Tests.Data;

public class TrajectorySetTests
{
    private static readonly double[,] Frames = { { 1, 2 }, { 3, 4 }, { 5, 6 } };

    [Fact]
    public void Add_EveryInputShape_GivesTheSameFrames()
    {
        var sets = new[]
        {
            TrajectorySet.Create().Add(Frames, 1.0).Build(),
            TrajectorySet.Create().Add(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, 1.0).Build(),
            TrajectorySet.Create().Add(new[] { new double[] { 1, 2 }, [3, 4], [5, 6] }, 1.0).Build(),
            TrajectorySet.Create().Add(new[] { new float[] { 1, 2 }, [3, 4], [5, 6] }, 1.0).Build(),
            TrajectorySet.Create().Add(Matrix<double>.Build.DenseOfArray(Frames), 1.0).Build(),
            TrajectorySet.Create().Add(Matrix<float>.Build.DenseOfArray(new float[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }), 1.0).Build(),
        };

        foreach (var set in sets)
        {
            set.Trajectories[0].Frames.ToArray().Should().Equal(1, 2, 3, 4, 5, 6);
            set.Trajectories[0].Weights.ToArray().Should().Equal(1, 1, 1);
        }
    }

    [Fact]
    public void Build_SeveralTrajectories_ReportsCountsOffsetsAndSortedTemperatures()
    {
        var set = TrajectorySet.Create().Add(Frames, 0.5).Add(new double[2, 2], 0.2).Add(new double[4, 2], 0.5).Build();

        set.FeatureCount.Should().Be(2);
        set.TotalFrames.Should().Be(9);
        set.Temperatures.Should().Equal(0.2, 0.5);
        set.FrameOffset(2).Should().Be(5);
        set.AtTemperature(0.5).TotalFrames.Should().Be(7);
        set.Trajectories[1].Name.Should().Be("trajectory 1");
    }

    [Fact]
    public void Add_NaN_SaysWhichFrameAndFeature()
    {
        var frames = new double[5, 3];
        frames[3, 2] = double.NaN;

        var act = () => TrajectorySet.Create().Add(frames, 1.0, name: "run A");

        act.Should().Throw<ArgumentException>().WithParameterName("frames").WithMessage("*run A*non-finite*frame 3, feature 2*");
    }

    [Fact]
    public void Add_Infinity_IsRefused()
    {
        var frames = new double[2, 2];
        frames[0, 1] = double.PositiveInfinity;

        var act = () => TrajectorySet.Create().Add(frames, 1.0);

        act.Should().Throw<ArgumentException>().WithParameterName("frames").WithMessage("*frame 0, feature 1*");
    }

    [Fact]
    public void Add_DifferentFeatureCounts_IsRefused()
    {
        var act = () => TrajectorySet.Create().Add(Frames, 1.0).Add(new double[3, 3], 1.0);

        act.Should().Throw<ArgumentException>().WithParameterName("frames").WithMessage("*3 features*trajectory 0 has 2*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Add_BadTemperature_IsRefused(double temperature)
    {
        var act = () => TrajectorySet.Create().Add(Frames, temperature);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(temperature));
    }

    [Fact]
    public void Add_EmptyMatrix_IsRefused()
    {
        var act = () => TrajectorySet.Create().Add(new double[0, 2], 1.0);

        act.Should().Throw<ArgumentException>().WithParameterName("frames").WithMessage("*empty*");
    }

    [Fact]
    public void Add_RaggedJaggedFrames_IsRefused()
    {
        var act = () => TrajectorySet.Create().Add(new[] { new double[] { 1, 2 }, [3] }, 1.0);

        act.Should().Throw<ArgumentException>().WithParameterName("frames").WithMessage("*Frame 1 has 1 values*");
    }

    [Theory]
    [InlineData(new[] { 1.0, 1.0 }, "*3 frames but 2 weights*")]
    [InlineData(new[] { 1.0, -1.0, 1.0 }, "*Weight 1*non-negative*")]
    [InlineData(new[] { 1.0, double.NaN, 1.0 }, "*Weight 1*")]
    [InlineData(new[] { 0.0, 0.0, 0.0 }, "*All weights*zero*")]
    public void Add_BadWeights_AreRefused(double[] weights, string message)
    {
        var act = () => TrajectorySet.Create().Add(Frames, 1.0, weights);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(weights)).WithMessage(message);
    }

    [Fact]
    public void Build_Empty_SaysHowToAddData()
    {
        var act = () => TrajectorySet.Create().Build();

        act.Should().Throw<InvalidOperationException>().WithMessage("*empty*Add(frames, temperature)*");
    }

    [Fact]
    public void Builder_AfterBuild_CannotBeReused()
    {
        var builder = TrajectorySet.Create().Add(Frames, 1.0);
        builder.Build();

        var act = () => builder.Add(Frames, 1.0);

        act.Should().Throw<InvalidOperationException>().WithMessage("*already built*");
    }

    [Fact]
    public void Add_CopiesTheInput()
    {
        var frames = (double[,])Frames.Clone();
        var set = TrajectorySet.Create().Add(frames, 1.0).Build();

        frames[0, 0] = 99;

        set.Trajectories[0].Frame(0).ToArray().Should().Equal(1, 2);
    }
}
