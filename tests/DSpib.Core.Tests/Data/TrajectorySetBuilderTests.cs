using DSpib.Data;
using MathNet.Numerics.LinearAlgebra;

namespace DSpib.Core.Tests.Data;

public class TrajectorySetBuilderTests
{
    // Values exactly representable in single precision, so float inputs give the same doubles.
    private static readonly double[,] Frames3x2 = { { 1.0, -2.5 }, { 0.25, 4.0 }, { 8.0, 0.5 } };
    private static readonly double[] Frames3x2RowMajor = [1.0, -2.5, 0.25, 4.0, 8.0, 0.5];

    private static double[,] Matrix(int rows, int columns, double value = 0.0)
    {
        var m = new double[rows, columns];
        for (var n = 0; n < rows; n++)
        {
            for (var j = 0; j < columns; j++)
            {
                m[n, j] = value + (n * columns) + j;
            }
        }

        return m;
    }

    private static double[] FramesOf(TrajectorySet set) => set.Trajectories[0].Frames.ToArray();

    [Fact]
    public void Add_DoubleMatrix_StoresFramesRowMajor()
    {
        var set = TrajectorySet.Create().Add(Frames3x2, 1.0).Build();

        FramesOf(set).Should().Equal(Frames3x2RowMajor);
        set.Trajectories[0].FrameCount.Should().Be(3);
        set.Trajectories[0].FeatureCount.Should().Be(2);
        set.Trajectories[0].Frame(1).ToArray().Should().Equal(0.25, 4.0);
        set.Trajectories[0].ToMatrix().Should().BeEquivalentTo(Frames3x2);
    }

    [Fact]
    public void Add_FloatMatrix_GivesSameFramesAsDoubleMatrix()
    {
        var floats = new float[3, 2];
        for (var n = 0; n < 3; n++)
        {
            for (var j = 0; j < 2; j++)
            {
                floats[n, j] = (float)Frames3x2[n, j];
            }
        }

        FramesOf(TrajectorySet.Create().Add(floats, 1.0).Build()).Should().Equal(Frames3x2RowMajor);
    }

    [Fact]
    public void Add_JaggedDouble_GivesSameFramesAsDoubleMatrix()
    {
        double[][] jagged = [[1.0, -2.5], [0.25, 4.0], [8.0, 0.5]];

        FramesOf(TrajectorySet.Create().Add(jagged, 1.0).Build()).Should().Equal(Frames3x2RowMajor);
    }

    [Fact]
    public void Add_JaggedFloat_GivesSameFramesAsDoubleMatrix()
    {
        float[][] jagged = [[1.0f, -2.5f], [0.25f, 4.0f], [8.0f, 0.5f]];

        FramesOf(TrajectorySet.Create().Add(jagged, 1.0).Build()).Should().Equal(Frames3x2RowMajor);
    }

    [Fact]
    public void Add_MathNetDoubleMatrix_GivesSameFramesAsDoubleMatrix()
    {
        var matrix = Matrix<double>.Build.DenseOfArray(Frames3x2);

        FramesOf(TrajectorySet.Create().Add(matrix, 1.0).Build()).Should().Equal(Frames3x2RowMajor);
    }

    [Fact]
    public void Add_MathNetFloatMatrix_GivesSameFramesAsDoubleMatrix()
    {
        var matrix = Matrix<float>.Build.Dense(3, 2, (n, j) => (float)Frames3x2[n, j]);

        FramesOf(TrajectorySet.Create().Add(matrix, 1.0).Build()).Should().Equal(Frames3x2RowMajor);
    }

    [Fact]
    public void Add_InputMutatedAfterAdd_TrajectoryKeepsOriginalValues()
    {
        var frames = (double[,])Frames3x2.Clone();
        var weights = new[] { 1.0, 2.0, 3.0 };
        var builder = TrajectorySet.Create().Add(frames, 1.0, weights);
        frames[0, 0] = 99.0;
        weights[0] = 99.0;

        var set = builder.Build();

        FramesOf(set).Should().Equal(Frames3x2RowMajor);
        set.Trajectories[0].Weights.ToArray().Should().Equal(1.0, 2.0, 3.0);
    }

    [Fact]
    public void Build_SeveralTrajectories_ReportsCountsOffsetsAndSortedDistinctTemperatures()
    {
        var set = TrajectorySet.Create()
            .Add(Matrix(5, 3), 2.5)
            .Add(Matrix(4, 3), 0.5)
            .Add(Matrix(7, 3), 2.5)
            .Add(Matrix(2, 3), 1.0)
            .Build();

        set.Trajectories.Should().HaveCount(4);
        set.FeatureCount.Should().Be(3);
        set.TotalFrames.Should().Be(18);
        set.Temperatures.Should().Equal(0.5, 1.0, 2.5);
        set.FrameOffset(0).Should().Be(0);
        set.FrameOffset(1).Should().Be(5);
        set.FrameOffset(2).Should().Be(9);
        set.FrameOffset(3).Should().Be(16);
        set.Trajectories.Select(t => t.Temperature).Should().Equal(2.5, 0.5, 2.5, 1.0);
    }

    [Fact]
    public void FrameOffset_IndexOutOfRange_Throws()
    {
        var set = DataFactory.Sequential(3, 4);

        FluentActions.Invoking(() => set.FrameOffset(2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("trajectory");
        FluentActions.Invoking(() => set.FrameOffset(-1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("trajectory");
    }

    [Fact]
    public void Build_WithoutNames_NamesTrajectoriesByIndex()
    {
        var set = TrajectorySet.Create().Add(Matrix(2, 1), 1.0).Add(Matrix(2, 1), 1.0, name: "run.xtc").Add(Matrix(2, 1), 1.0).Build();

        set.Trajectories.Select(t => t.Name).Should().Equal("trajectory 0", "run.xtc", "trajectory 2");
    }

    [Fact]
    public void Build_NoWeightsGiven_AllWeightsAreOne()
    {
        var set = TrajectorySet.Create().Add(Matrix(4, 2), 1.0).Build();

        set.Trajectories[0].Weights.ToArray().Should().Equal(1.0, 1.0, 1.0, 1.0);
    }

    [Fact]
    public void Build_WeightsGiven_KeepsThem()
    {
        var set = TrajectorySet.Create().Add(Matrix(3, 2), 1.0, [0.0, 2.5, 1.0]).Build();

        set.Trajectories[0].Weights.ToArray().Should().Equal(0.0, 2.5, 1.0);
    }

    [Fact]
    public void AtTemperature_SelectsMatchingTrajectories()
    {
        var set = TrajectorySet.Create().Add(Matrix(5, 1), 2.0).Add(Matrix(4, 1), 1.0).Add(Matrix(3, 1), 2.0).Build();

        var hot = set.AtTemperature(2.0);

        hot.Trajectories.Select(t => t.FrameCount).Should().Equal(5, 3);
        hot.Temperatures.Should().Equal(2.0);
        hot.TotalFrames.Should().Be(8);
    }

    [Fact]
    public void AtTemperature_UnknownTemperature_Throws()
    {
        var set = DataFactory.Sequential(1.0, 3);

        FluentActions.Invoking(() => set.AtTemperature(3.0)).Should().Throw<ArgumentException>().WithParameterName("temperature");
    }

    [Fact]
    public void Add_NaNValue_ThrowsNamingFrameAndFeature()
    {
        var frames = Matrix(5, 2);
        frames[3, 1] = double.NaN;

        FluentActions.Invoking(() => TrajectorySet.Create().Add(frames, 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("*trajectory 0*frame 3, feature 1*");
    }

    [Fact]
    public void Add_PositiveInfinity_ThrowsNamingFrameAndFeature()
    {
        var frames = Matrix(4, 3);
        frames[2, 0] = double.PositiveInfinity;

        FluentActions.Invoking(() => TrajectorySet.Create().Add(frames, 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("*frame 2, feature 0*");
    }

    [Fact]
    public void Add_NaNInFloatJaggedInput_ThrowsNamingFrameAndFeature()
    {
        float[][] frames = [[0f, 1f], [2f, 3f], [4f, float.NaN]];

        FluentActions.Invoking(() => TrajectorySet.Create().Add(frames, 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("*frame 2, feature 1*");
    }

    [Fact]
    public void Add_NaNInNamedTrajectory_MessageUsesTheName()
    {
        var frames = Matrix(3, 1);
        frames[1, 0] = double.NegativeInfinity;

        FluentActions.Invoking(() => TrajectorySet.Create().Add(frames, 1.0, name: "bad.xtc"))
            .Should().Throw<ArgumentException>()
            .WithMessage("*bad.xtc*frame 1, feature 0*");
    }

    [Fact]
    public void Add_DifferentFeatureCount_ThrowsNamingBothTrajectories()
    {
        var builder = TrajectorySet.Create().Add(Matrix(3, 2), 1.0);

        FluentActions.Invoking(() => builder.Add(Matrix(3, 3), 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("*trajectory 1 has 3 features but trajectory 0 has 2*");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Add_InvalidTemperature_ThrowsArgumentOutOfRange(double invalid)
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Add(Matrix(3, 2), invalid))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("temperature")
            .WithMessage("*trajectory 0*");
    }

    [Fact]
    public void Add_EmptyMatrix_Throws()
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Add(new double[0, 3], 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("*empty*0 frames x 3 features*");
    }

    [Fact]
    public void Add_MatrixWithoutColumns_Throws()
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Add(new double[4, 0], 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("*4 frames x 0 features*");
    }

    [Fact]
    public void Add_EmptyJaggedList_Throws()
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Add(Array.Empty<double[]>(), 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames");
    }

    [Fact]
    public void Add_RaggedJaggedInput_ThrowsNamingTheFrame()
    {
        double[][] frames = [[0.0, 1.0], [2.0, 3.0], [4.0], [5.0, 6.0]];

        FluentActions.Invoking(() => TrajectorySet.Create().Add(frames, 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("Frame 2 has 1 values but frame 0 has 2*");
    }

    [Fact]
    public void Add_RaggedFloatJaggedInput_ThrowsNamingTheFrame()
    {
        float[][] frames = [[0f, 1f], [2f, 3f, 4f]];

        FluentActions.Invoking(() => TrajectorySet.Create().Add(frames, 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("Frame 1 has 3 values*");
    }

    [Fact]
    public void Add_NullFrameInJaggedInput_ThrowsNamingTheFrame()
    {
        double[][] frames = [[0.0, 1.0], null!, [5.0, 6.0]];

        FluentActions.Invoking(() => TrajectorySet.Create().Add(frames, 1.0))
            .Should().Throw<ArgumentException>()
            .WithParameterName("frames")
            .WithMessage("Frame 1 is null*");
    }

    [Fact]
    public void Add_WeightCountMismatch_Throws()
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Add(Matrix(4, 2), 1.0, [1.0, 1.0, 1.0]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("weights")
            .WithMessage("*4 frames but 3 weights*");
    }

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Add_InvalidWeight_ThrowsNamingTheWeight(double bad)
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Add(Matrix(4, 2), 1.0, [1.0, 1.0, bad, 1.0]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("weights")
            .WithMessage("Weight 2 of trajectory 0*");
    }

    [Fact]
    public void Add_AllWeightsZero_Throws()
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Add(Matrix(3, 2), 1.0, [0.0, 0.0, 0.0]))
            .Should().Throw<ArgumentException>()
            .WithParameterName("weights")
            .WithMessage("*zero*");
    }

    [Fact]
    public void Add_Rejected_LeavesBuilderUsable()
    {
        var bad = Matrix(3, 1);
        bad[0, 0] = double.NaN;
        var builder = TrajectorySet.Create().Add(Matrix(2, 1), 1.0);
        FluentActions.Invoking(() => builder.Add(bad, 1.0)).Should().Throw<ArgumentException>();

        var set = builder.Add(Matrix(4, 1), 1.0).Build();

        set.Trajectories.Select(t => t.FrameCount).Should().Equal(2, 4);
        set.Trajectories[1].Name.Should().Be("trajectory 1");
    }

    [Fact]
    public void Add_NullFrames_ThrowsArgumentNull()
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Add((double[,])null!, 1.0))
            .Should().Throw<ArgumentNullException>()
            .WithParameterName("frames");
    }

    [Fact]
    public void Build_NothingAdded_ThrowsInvalidOperation()
    {
        FluentActions.Invoking(() => TrajectorySet.Create().Build())
            .Should().Throw<InvalidOperationException>()
            .WithMessage("*empty*");
    }

    [Fact]
    public void Build_CalledAgain_MakesANewSetOfWhatWasAddedSoFar_AndLeavesEarlierSetsAlone()
    {
        var builder = TrajectorySet.Create().Add(Matrix(3, 1), 1.0);
        var first = builder.Build();

        var second = builder.Add(Matrix(4, 1), 2.0).Build();

        first.Trajectories.Should().HaveCount(1);
        second.Trajectories.Should().HaveCount(2);
        second.Trajectories[0].Should().BeSameAs(first.Trajectories[0], "trajectories are immutable and shared");
        second.Temperatures.Should().Equal(1.0, 2.0);
    }

    [Fact]
    public void Frame_IndexOutOfRange_Throws()
    {
        var trajectory = DataFactory.Sequential(3).Trajectories[0];

        FluentActions.Invoking(() => trajectory.Frame(3)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("frame");
    }
}
