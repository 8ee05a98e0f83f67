using DSpib.Diffusion;
using DSpib.Internal;
using DSpib.Networks;
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
    public void Default_IsTheReferenceArchitectureWithTheSmoothTemperatureEmbedding()
    {
        var architecture = ScoreNet.Create().Build();

        architecture.HiddenLayers.Should().Equal(ScoreNet.Create().Reference().Build().HiddenLayers);
        architecture.TemperatureEmbedding.Should().Be(TemperatureEmbedding.Smooth());
        architecture.TemperatureEmbedding.Input.Should().Be(TemperatureInput.LogTemperature);
        architecture.TemperatureEmbedding.Scale.Should().Be(0.1);
        ScoreNet.Create().Reference().Build().TemperatureEmbedding.Should().Be(TemperatureEmbedding.Reference());
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

    /// <summary>
    /// The formula of METHOD 4.3 written out from the module's named weights: e = relu(L([sin 2 pi w x, cos 2 pi w x]))
    /// for the time and temperature inputs, then h_k = relu(W_k h + b_k + A_k e_t + B_k e_T) (+ h for the residual 64 -> 64
    /// layers), then a linear output.
    /// </summary>
    private static Tensor ReferenceFormula(ScoreNetwork network, Tensor z, Tensor time, Tensor temperature)
    {
        var weights = network.state_dict();
        Tensor Embed(string name, Tensor x)
        {
            var angles = x.unsqueeze(1) * weights[$"{name}.frequencies"].unsqueeze(0) * (2 * Math.PI);
            var features = cat([angles.sin(), angles.cos()], 1);
            return nn.functional.relu(nn.functional.linear(features, weights[$"{name}.projection.weight"], weights[$"{name}.projection.bias"]));
        }

        Tensor Linear(string name, Tensor x) => nn.functional.linear(x, weights[$"{name}.weight"], weights[$"{name}.bias"]);
        var timeCode = Embed("timeEmbedding", time);
        var temperatureCode = Embed("temperatureEmbedding", temperature);
        var h = z;
        for (var k = 0; k < 6; k++)
        {
            var next = nn.functional.relu(Linear($"layers.{k}", h) + Linear($"timeProjections.{k}", timeCode) + Linear($"temperatureProjections.{k}", temperatureCode));
            h = k is >= 2 and <= 4 ? next + h : next;
        }

        return Linear("output", h);
    }

    [Fact]
    public void Forward_IsTheReferenceFormula_WhetherRowsAreEmbeddedOneByOne_FromATable_OrBroadcast()
    {
        using var network = new ScoreNetwork(ScoreNet.Create().Reference().Build(), 2, ScalarType.Float64, new Generator(3));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = randn([12, 2], dtype: ScalarType.Float64, generator: new Generator(4));
        var steps = tensor(new long[] { 0, 5, 99, 5, 17, 0, 42, 99, 1, 2, 3, 5 });
        var temperatureIndex = tensor(new long[] { 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0 });
        var stepValues = arange(100, dtype: ScalarType.Float64);
        var temperatureValues = tensor(new[] { 1.0, 2.5 });
        var rowTime = steps.to(ScalarType.Float64);
        var rowTemperature = temperatureValues.index_select(0, temperatureIndex);

        var expected = ReferenceFormula(network, z, rowTime, rowTemperature);

        // Every row embedded on its own.
        network.forward(z, rowTime, rowTemperature).allclose(expected, rtol: 1e-12, atol: 1e-12).Should().BeTrue();

        // One table of every (step, temperature), gathered row by row, as discrete-time training does.
        var table = network.ConditioningTable(stepValues, temperatureValues);
        var combination = (steps * 2) + temperatureIndex;
        network.Forward(z, table.Select(t => t.index_select(0, combination)).ToArray()).allclose(expected, rtol: 1e-12, atol: 1e-12).Should().BeTrue();

        // One time and temperature broadcast to every row, as a sampler step does.
        var shared = ReferenceFormula(network, z, full(12, 17.0, dtype: ScalarType.Float64), full(12, 2.5, dtype: ScalarType.Float64));
        network.Forward(z, network.Conditioning(full(1, 17.0, dtype: ScalarType.Float64), full(1, 2.5, dtype: ScalarType.Float64)))
            .allclose(shared, rtol: 1e-12, atol: 1e-12).Should().BeTrue();
    }

    [Fact]
    public void ReducedProducts_InBFloat16_StayCloseToFloat32_WithFloat32OutputsAndGradients()
    {
        using var network = new ScoreNetwork(ScoreNet.Create().Reference().Build(), 2, ScalarType.Float32, new Generator(3));
        using var scope = NewDisposeScope();
        var generator = new Generator(4);
        var z = randn([2048, 2], generator: generator);
        var time = randint(0, 100, [2048], generator: generator).to(ScalarType.Float32);
        var temperature = rand([2048], generator: generator).Plus(1);
        var target = randn([2048, 2], generator: generator);

        (Tensor Output, Tensor Gradient) Run()
        {
            network.zero_grad();
            var output = network.forward(z, time, temperature);
            (output - target).pow(2).mean().backward();
            return (output.detach(), cat(network.parameters().Select(p => p.grad!.flatten()).ToArray()));
        }

        var (exactOutput, exactGradient) = Run();
        network.ReducedProducts = ScalarType.BFloat16;
        var (reducedOutput, reducedGradient) = Run();

        reducedOutput.dtype.Should().Be(ScalarType.Float32);
        network.parameters().Should().OnlyContain(p => p.dtype == ScalarType.Float32 && p.grad!.dtype == ScalarType.Float32);

        // bfloat16 keeps 8 significant bits (unit roundoff 2^-9 = 2e-3): rounding both operands of four hidden layers'
        // products moves the output by a few 1e-3 of its norm, where float32 products agree to about 1e-7. The lower
        // bound shows the products really were reduced; the upper one that nothing else changed (a wrong layer or a
        // lost conditioning term moves the output by tens of percent).
        var outputError = (reducedOutput - exactOutput).norm().item<float>() / exactOutput.norm().item<float>();
        outputError.Should().BeInRange(1e-4f, 2e-2f);
        var gradientError = (reducedGradient - exactGradient).norm().item<float>() / exactGradient.norm().item<float>();
        gradientError.Should().BeInRange(1e-4f, 5e-2f);
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
        embedding.OfTemperature().InputValue(0.5, 3).Should().Be(0.5);
        embedding.OfTemperature().Input.Should().Be(TemperatureInput.Temperature);
        FluentActions.Invoking(() => TemperatureEmbedding.Fourier(15)).Should().Throw<ArgumentException>().WithParameterName("Dimension").WithMessage("*even*");
    }
}
