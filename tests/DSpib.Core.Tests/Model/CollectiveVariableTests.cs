using DSpib.Core.Tests.Support;
using DSpib.Data;
using DSpib.Networks;
using DSpib.Training;
using FluentAssertions;

namespace DSpib.Core.Tests.Model;

/// <summary>
/// The collective variable snapshot: its values are the model's encoding, its Jacobian is the derivative of those
/// values (finite differences), batched and single-frame evaluation agree bitwise, and concurrent callers get what
/// serial callers get.
/// </summary>
public sealed class CollectiveVariableTests : IClassFixture<CollectiveVariableTests.Models>
{
    private readonly Models _models;

    public CollectiveVariableTests(Models models) => _models = models;

    public static TheoryData<Activation> Activations => new() { Activation.Tanh, Activation.SiLU };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Values_AreTheModelsEncoding_ToFloat32Precision(Activation activation)
    {
        var model = _models[activation];
        var frames = _models.Frames;

        var values = model.CollectiveVariable().Evaluate(frames);
        var encoded = model.Encode(frames);

        // The model computes in float32 (unit roundoff 6e-8) through a standardiser and two 16-wide layers of O(1)
        // values: a few dozen roundings each, so about 1e-6 of the values' scale; 1e-5 leaves a factor of ten.
        for (var n = 0; n < frames.GetLength(0); n++)
        {
            for (var k = 0; k < 2; k++)
            {
                values[n, k].Should().BeApproximately(encoded[n, k], 1e-5 * (1 + Math.Abs(encoded[n, k])));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Jacobian_MatchesCentralDifferencesOfTheFloat64Values(Activation activation)
    {
        var cv = _models[activation].CollectiveVariable();
        var scale = _models[activation].Standardizer.Scale;
        var (values, jacobians) = cv.EvaluateWithJacobian(Rows(_models.Frames, 50));
        Span<double> plus = stackalloc double[2];
        Span<double> minus = stackalloc double[2];
        var x = new double[2];
        var frames = Rows(_models.Frames, 50);
        for (var n = 0; n < 50; n++)
        {
            for (var i = 0; i < 2; i++)
            {
                // h = 1e-5 standardised units: truncation h^2 f'''/6 ~ 1e-11, roundoff 1e-16 / h ~ 1e-11.
                var h = 1e-5 * scale[i];
                x[0] = frames[n, 0];
                x[1] = frames[n, 1];
                x[i] += h;
                cv.Evaluate(x, plus);
                x[i] -= 2 * h;
                cv.Evaluate(x, minus);
                for (var k = 0; k < 2; k++)
                {
                    var difference = (plus[k] - minus[k]) / (2 * h);
                    jacobians[n, k, i].Should().BeApproximately(difference, 1e-7 * (1 + Math.Abs(difference)));
                }
            }
        }

        values.Should().NotBeNull();
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Jacobian_MatchesCentralDifferencesOfTheModelsFloat32Encoding(Activation activation)
    {
        var model = _models[activation];
        var scale = model.Standardizer.Scale;
        var frames = Rows(_models.Frames, 50);
        var (_, jacobians) = model.CollectiveVariable().EvaluateWithJacobian(frames);

        // Float32 forces a large step: with h = 1e-2 standardised units the roundoff of a float32 difference is
        // about 2 * 6e-8 * |z| / (2h) ~ 1e-5 |z| per standardised unit, and the truncation h^2 |f'''| / 6 ~ 2e-5 for
        // O(1) third derivatives; 2e-3 (in standardised units, times 1/scale) is far above both and far below any
        // missing factor (a Jacobian without the chain rule of the standardiser is off by the scale, ~0.5-1).
        const double Step = 1e-2;
        for (var i = 0; i < 2; i++)
        {
            var up = (double[,])frames.Clone();
            var down = (double[,])frames.Clone();
            for (var n = 0; n < 50; n++)
            {
                up[n, i] += Step * scale[i];
                down[n, i] -= Step * scale[i];
            }

            var zUp = model.Encode(up);
            var zDown = model.Encode(down);
            for (var n = 0; n < 50; n++)
            {
                for (var k = 0; k < 2; k++)
                {
                    var difference = (zUp[n, k] - zDown[n, k]) / (2 * Step * scale[i]);
                    jacobians[n, k, i].Should().BeApproximately(difference, 2e-3 / scale[i]);
                }
            }
        }
    }

    [Fact]
    public void Batched_EqualsSingleFrame_Bitwise()
    {
        var cv = _models[Activation.Tanh].CollectiveVariable();
        var frames = Rows(_models.Frames, 200);
        var (values, jacobians) = cv.EvaluateWithJacobian(frames);
        var plain = cv.Evaluate(frames);
        Span<double> value = stackalloc double[2];
        Span<double> jacobian = stackalloc double[4];
        for (var n = 0; n < 200; n++)
        {
            cv.Evaluate([frames[n, 0], frames[n, 1]], value, jacobian);
            value[0].Should().Be(values[n, 0]);
            value[1].Should().Be(values[n, 1]);
            plain[n, 0].Should().Be(values[n, 0]);
            plain[n, 1].Should().Be(values[n, 1]);
            for (var k = 0; k < 2; k++)
            {
                jacobian[(k * 2) + 0].Should().Be(jacobians[n, k, 0]);
                jacobian[(k * 2) + 1].Should().Be(jacobians[n, k, 1]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void SingleFrame_AllocatesNothingAfterTheThreadsFirstCall(Activation activation)
    {
        var cv = _models[activation].CollectiveVariable();
        var frames = Rows(_models.Frames, 1_000);
        var descriptors = new double[2];
        Span<double> value = stackalloc double[2];
        Span<double> jacobian = stackalloc double[4];
        cv.Evaluate(descriptors, value, jacobian);

        // An integrator calls this every step: a per-call allocation would put the collector on its hot path.
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var n = 0; n < 1_000; n++)
        {
            descriptors[0] = frames[n, 0];
            descriptors[1] = frames[n, 1];
            cv.Evaluate(descriptors, value, jacobian);
            cv.Evaluate(descriptors, value);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Fact]
    public void ConcurrentCallers_GetTheSerialResults()
    {
        var tanh = _models[Activation.Tanh].CollectiveVariable();
        var silu = _models[Activation.SiLU].CollectiveVariable();
        var frames = Rows(_models.Frames, 500);
        var serialTanh = tanh.EvaluateWithJacobian(frames);
        var serialSilu = silu.EvaluateWithJacobian(frames);
        var mismatches = 0;

        // Eight threads on two snapshots of different sizes share each thread's scratch buffer between snapshots.
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            Span<double> value = stackalloc double[2];
            Span<double> jacobian = stackalloc double[4];
            for (var repeat = 0; repeat < 20; repeat++)
            {
                for (var n = 0; n < 500; n++)
                {
                    var (cv, serial) = (n + thread) % 2 == 0 ? (tanh, serialTanh) : (silu, serialSilu);
                    cv.Evaluate([frames[n, 0], frames[n, 1]], value, jacobian);
                    if (value[0] != serial.Values[n, 0] || value[1] != serial.Values[n, 1]
                        || jacobian[0] != serial.Jacobians[n, 0, 0] || jacobian[1] != serial.Jacobians[n, 0, 1]
                        || jacobian[2] != serial.Jacobians[n, 1, 0] || jacobian[3] != serial.Jacobians[n, 1, 1])
                    {
                        Interlocked.Increment(ref mismatches);
                    }
                }
            }
        });

        mismatches.Should().Be(0);
    }

    [Fact]
    public void TheSnapshot_OutlivesItsModel_AndAnUntrainedModelHasNone()
    {
        using var untrained = DSpibModel.Create().WithInputDimension(2).AsSpibBaseline().Build();
        var none = () => untrained.CollectiveVariable();
        none.Should().Throw<InvalidOperationException>();

        var model = Models.Train(Activation.Tanh, seed: 9);
        var cv = model.CollectiveVariable();
        var before = cv.Evaluate(Rows(_models.Frames, 10));
        model.Dispose();

        cv.Evaluate(Rows(_models.Frames, 10)).Should().BeEquivalentTo(before);
        var wrong = () => cv.Evaluate(new double[1, 3]);
        wrong.Should().Throw<ArgumentException>().Where(e => e.ParamName == "frames");
    }

    private static double[,] Rows(double[,] frames, int count)
    {
        var rows = new double[count, frames.GetLength(1)];
        var stride = frames.GetLength(0) / count;
        for (var n = 0; n < count; n++)
        {
            rows[n, 0] = frames[n * stride, 0];
            rows[n, 1] = frames[n * stride, 1];
        }

        return rows;
    }

    /// <summary>Two briefly trained SPIB models with two-layer MLP encoders (tanh and SiLU) and a 2-D latent space.</summary>
    public sealed class Models : IDisposable
    {
        private readonly Dictionary<Activation, DSpibModel> _models;

        public Models()
        {
            _models = new() { [Activation.Tanh] = Train(Activation.Tanh, 3), [Activation.SiLU] = Train(Activation.SiLU, 3) };
            Frames = ThreeHoleData.Simulate(walkers: 4, frames: 2_000).Trajectories[0].ToMatrix();
        }

        public double[,] Frames { get; }

        public DSpibModel this[Activation activation] => _models[activation];

        public static DSpibModel Train(Activation activation, int seed)
        {
            var data = ThreeHoleData.Simulate(walkers: 4, frames: 2_000);
            var labels = InitialLabels.KMeans(data, 5, seed: 1);
            var model = DSpibModel.Create().WithInputDimension(2).WithLatentDimension(2).WithMlpEncoder([16, 16], activation)
                .AsSpibBaseline().WithSeed(seed).Build();
            Trainer.Create().WithLag(10).WithBeta(1e-3).WithLearningRate(3e-3).WithRefinement(1, patience: 100, tolerance: 1e-9)
                .WithMaxEpochs(8).WithSeed(5).Build().Fit(model, data, labels);
            return model;
        }

        public void Dispose()
        {
            foreach (var model in _models.Values)
            {
                model.Dispose();
            }
        }
    }
}
