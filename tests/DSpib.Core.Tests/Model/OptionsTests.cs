using DSpib.Diffusion;
using DSpib.Networks;
using DSpib.Spib;
using DSpib.Training;

namespace DSpib.Core.Tests.Model;

/// <summary>One immutable, validated options type per concept: value equality, and one Validate that every Build and Load runs.</summary>
public sealed class OptionsTests
{
    [Fact]
    public void Options_WithTheSameSettings_AreEqual_ListsIncluded()
    {
        ScoreNet.Create().Build().Should().Be(ScoreNet.Create().Build());
        ScoreNet.Create().Build().GetHashCode().Should().Be(ScoreNet.Create().Build().GetHashCode());
        ScoreNet.Create().WithHiddenLayers(8).Build().Should().NotBe(ScoreNet.Create().Build());
        EncoderOptions.Mlp([16, 16]).Should().Be(EncoderOptions.Mlp([16, 16]));
        EncoderOptions.Mlp([16, 16]).Should().NotBe(EncoderOptions.Mlp([16, 8]));
        new ModelOptions { DecoderHiddenLayers = [8, 8] }.Should().Be(new ModelOptions { DecoderHiddenLayers = new List<int> { 8, 8 } });
        VpSde.Create().Discrete(100, 1e-4, 0.2).Build().Should().Be(VpSde.Create().Discrete(100, 1e-4, 0.2).Build());
        VpSde.Create().Discrete(100, 1e-4, 0.2).Build().Should().NotBe(VpSde.Create().Reference().Build(), "the reference has the linear law");
        DiffusionPriorOptions.Default.Should().Be(new DiffusionPriorOptions());
        new EpochSummary { Populations = [0.5, 0.5] }.Should().Be(new EpochSummary { Populations = [0.5, 0.5] });
        TrainingOptions.Reference.Should().Be(new TrainingOptions());
    }

    [Fact]
    public void TheDefaultSde_HasTheSquareRootLaw()
    {
        VpSde.Create().Build().TemperatureLaw.Should().BeSameAs(TemperatureLaw.SquareRoot);
        VpSde.Create().Reference().Build().TemperatureLaw.Should().BeSameAs(TemperatureLaw.Linear);
    }

    [Fact]
    public void AnEmbeddingChangedByAWithExpression_IsCheckedWhenTheArchitectureIsBuilt()
    {
        var bad = TemperatureEmbedding.Fourier() with { Scale = -0.1 };

        FluentActions.Invoking(() => ScoreNet.Create().WithTemperatureEmbedding(bad).Build())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Scale").WithMessage("*positive*");
        FluentActions.Invoking(() => DSpibModel.Create().WithDiffusionPrior(new DiffusionPriorOptions { ScoreNet = null! }).Build())
            .Should().Throw<ArgumentNullException>().WithParameterName("ScoreNet");
    }

    [Fact]
    public void UndefinedEnumValues_AreRefusedAtBuild()
    {
        FluentActions.Invoking(() => ScoreNet.Create().WithActivation((Activation)99).Build())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Activation").WithMessage("*ReLU*SiLU*");
        FluentActions.Invoking(() => DSpibModel.Create().WithDecoderActivation((Activation)99).Build())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("DecoderActivation");
        FluentActions.Invoking(() => DSpibModel.Create().WithOptions(ModelOptions.Default with { Encoder = EncoderOptions.Linear with { Activation = (Activation)(-1) } }).Build())
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Activation");
    }

    [Theory]
    [InlineData(0, "LatentDimension")]
    [InlineData(-1, "InputDimension")]
    public void ModelBuild_WithAnInvalidSize_NamesTheOption(int value, string option)
    {
        var builder = option == "LatentDimension" ? DSpibModel.Create().WithLatentDimension(value) : DSpibModel.Create().WithInputDimension(value);

        FluentActions.Invoking(() => builder.Build()).Should().Throw<ArgumentOutOfRangeException>().WithParameterName(option).WithMessage($"*{option}*With{option}*");
    }

    [Fact]
    public void ModelBuilder_IsReusable_AndEveryBuildIsANewModelWithTheSameOptions()
    {
        var builder = DSpibModel.Create().WithLatentDimension(1).WithDecoder(8);
        using var first = builder.Build();
        using var second = builder.Build();

        second.Should().NotBeSameAs(first);
        second.Options.Should().Be(first.Options);
        first.Options.DecoderHiddenLayers.Should().Equal(8);
        first.InputDimension.Should().BeNull("it is taken from the data at the first Fit");
    }

    [Fact]
    public void SamplerOptions_OfferOnlyWhatEachSamplerUses_AndAreValidated()
    {
        SamplerOptions.ProbabilityFlow(200).Should().Be(new ProbabilityFlowSampler { Steps = 200 });
        SamplerOptions.DefaultFor(VpSde.Create().Discrete().Build()).Should().BeOfType<AncestralSampler>();
        SamplerOptions.DefaultFor(VpSde.Create().Continuous().Build()).Should().Be(SamplerOptions.ReverseSde(500));
        FluentActions.Invoking(() => SamplerOptions.ReverseSde(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Steps");
        FluentActions.Invoking(() => SamplerOptions.PredictorCorrector(signalToNoise: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("SignalToNoise");
    }
}
