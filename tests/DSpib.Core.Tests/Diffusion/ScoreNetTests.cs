using DSpib.Diffusion;
using DSpib.Spib;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Diffusion;

public class ScoreNetTests
{
    [Fact]
    public void Reference_HasTheReferenceShapeAndParameterCount()
    {
        var architecture = ScoreNet.Create().Reference().Build();
        using var generator = new Generator(1);

        using var network = new ScoreNetwork(architecture, latentDimension: 2, ScalarType.Float32, generator);

        architecture.HiddenLayers.Should().Equal(16, 64, 64, 64, 64, 16);
        architecture.TemperatureEmbedding.Input.Should().Be(TemperatureInput.Lambda);
        architecture.TemperatureEmbedding.Scale.Should().Be(100);

        // Layers 2-16-64-64-64-64-16-2 (14,690), time and temperature projections into each hidden layer
        // (2 x 4,896), and the two embeddings' 16 x 16 linear layers (544).
        network.parameters().Sum(p => p.numel()).Should().Be(25_026);
    }

    [Fact]
    public void Forward_PredictsOneNoiseVectorPerSample_Deterministically()
    {
        var architecture = ScoreNet.Create().Reference().Build();
        using var first = new ScoreNetwork(architecture, 2, ScalarType.Float32, new Generator(5));
        using var second = new ScoreNetwork(architecture, 2, ScalarType.Float32, new Generator(5));
        using var z = randn(7, 2, generator: new Generator(1));
        using var steps = arange(7, dtype: ScalarType.Float32);
        using var lambdas = full(7, 1.5f);

        using var a = first.forward(z, steps, lambdas);
        using var b = second.forward(z, steps, lambdas);

        a.shape.Should().Equal(7, 2);
        a.allclose(b).Should().BeTrue();
    }

    [Fact]
    public void Configurable_WidthDepthActivationAndNoTemperatureEmbedding()
    {
        var architecture = ScoreNet.Create().WithHiddenLayers(32, 32).WithActivation(Activation.SiLU).WithResiduals(false)
            .WithTimeEmbedding(8, 1.0).WithTemperatureEmbedding(TemperatureEmbedding.None).Build();

        using var network = new ScoreNetwork(architecture, 3, ScalarType.Float64, new Generator(2));

        // 3-32-32-3 (128 + 1,056 + 99) + time projections (8 -> 32 twice: 576) + time embedding linear (72).
        network.parameters().Sum(p => p.numel()).Should().Be(1_931);
        using var output = network.forward(zeros(4, 3, dtype: ScalarType.Float64), zeros(4, dtype: ScalarType.Float64), zeros(4, dtype: ScalarType.Float64));
        output.shape.Should().Equal(4, 3);
    }

    [Fact]
    public void FourierFeatures_WithASmallScale_AreSmoothInTemperature_WithScaleHundredTheyAreNot()
    {
        // Codes of lambda = 1.5 and 2.0 (T = 0.3 and 0.4 with T_ref = 0.2 under the linear law). The phases move by
        // 2 pi w (2.0 - 1.5) with w ~ N(0, scale^2): about 0.3 rad at scale 0.1 (nearby codes), about pi at scale 1, and
        // many turns at scale 100 (unrelated codes: the reference's embedding cannot interpolate between temperatures).
        static double Correlation(double scale)
        {
            using var features = new FourierFeatures(16, scale, seed: 3, Activation.Identity, ScalarType.Float64, new Generator(1));
            using var codes = features.forward(tensor(new[] { 1.5, 2.0 }, dtype: ScalarType.Float64));
            var a = codes[0].data<double>().ToArray();
            var b = codes[1].data<double>().ToArray();
            return MathNet.Numerics.Statistics.Correlation.Pearson(a, b);
        }

        Correlation(0.1).Should().BeGreaterThan(0.95);
        Correlation(100.0).Should().BeLessThan(0.5);
    }

    [Fact]
    public void TemperatureEmbedding_DescribesItsInput()
    {
        var embedding = TemperatureEmbedding.Fourier(16, scale: 1).OfInverseTemperature();

        embedding.InputValue(0.5, lambda: 3).Should().Be(2);
        embedding.OfLogTemperature().InputValue(Math.E, 3).Should().BeApproximately(1, 1e-15);
        embedding.OfLambda().InputValue(0.5, 3).Should().Be(3);
        FluentActions.Invoking(() => TemperatureEmbedding.Fourier(15)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("dimension");
    }
}
