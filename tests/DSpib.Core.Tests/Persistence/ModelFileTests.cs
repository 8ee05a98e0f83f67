using System.IO.Compression;
using System.Text.Json;
using DSpib.Core.Tests.Support;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Persistence;
using TorchSharp;

namespace DSpib.Core.Tests.Persistence;

[Collection(TrainedModelsGroup.Name)]
public sealed class ModelFileTests(TrainedModels trained) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dspib-model-file-").FullName;

    private static readonly double[] Axis = [-1.5, -0.5, 0.5, 1.5];

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SaveAndLoad_SpibBaseline_GivesBitwiseIdenticalResults()
    {
        var model = trained.Spib;
        var path = Path.Combine(_folder, "spib.dspib");

        model.Save(path);
        using var loaded = DSpibModel.Load(path);

        loaded.Training!.Refinements.Should().HaveCountGreaterThan(1, "the fixture refines twice before the final relabel");
        loaded.Options.Should().BeEquivalentTo(model.Options);
        loaded.Backend.Precision.Should().Be(TensorPrecision.Float32);
        loaded.StateCount.Should().Be(model.StateCount);
        loaded.Training!.StatePopulations.Should().Equal(model.Training!.StatePopulations);
        loaded.Training!.Refinements.Should().Equal(model.Training!.Refinements);
        loaded.Standardizer.Mean.Should().Equal(model.Standardizer.Mean);
        loaded.Standardizer.Scale.Should().Equal(model.Standardizer.Scale);
        var frames = trained.Frames;
        Bits(loaded.Encode(frames)).Should().Equal(Bits(model.Encode(frames)));
        loaded.PredictStates(frames).Should().Equal(model.PredictStates(frames));
        Bits(loaded.PredictStateProbabilities(frames)).Should().Equal(Bits(model.PredictStateProbabilities(frames)));
        Bits(loaded.VampPrior!.Sample(500, seed: 7)).Should().Equal(Bits(model.VampPrior!.Sample(500, seed: 7)));
        var latent = model.Encode(frames);
        loaded.PredictStatesOfLatent(latent).Should().Equal(model.PredictStatesOfLatent(latent));
    }

    [Fact]
    public void SaveAndLoad_DSpib_GivesBitwiseIdenticalSamplesDensitiesAndFreeEnergies()
    {
        var model = trained.Dspib;
        var path = Path.Combine(_folder, "dspib.dspib");

        model.Save(path);
        using var loaded = DSpibModel.Load(path);

        var frames = trained.Frames;
        Bits(loaded.Encode(frames)).Should().Equal(Bits(model.Encode(frames)));
        Bits(loaded.PredictStateProbabilities(frames)).Should().Equal(Bits(model.PredictStateProbabilities(frames)));
        loaded.VampPrior.Should().BeNull("a D-SPIB model's prior is its diffusion prior");
        foreach (var sampler in AllSamplers.With(steps: 20))
        {
            Bits(loaded.Diffusion!.Sample(64, temperature: 0.45, sampler, seed: 9))
                .Should().Equal(Bits(model.Diffusion!.Sample(64, temperature: 0.45, sampler, seed: 9)), $"the {sampler} sampler is seeded");
        }

        var points = new double[,] { { 0.1, -0.2 }, { 1.0, 0.5 }, { -0.7, 0.3 } };
        Bits(loaded.Diffusion!.LogDensity(points, temperature: 0.6, steps: 10)).Should().Equal(Bits(model.Diffusion!.LogDensity(points, temperature: 0.6, steps: 10)));
        Bits(loaded.Diffusion!.FreeEnergySurface(0.6, Axis, Axis, steps: 8).ToMatrix())
            .Should().Equal(Bits(model.Diffusion!.FreeEnergySurface(0.6, Axis, Axis, steps: 8).ToMatrix()));
        loaded.Diffusion!.FreeEnergyProfile(0, 0.6, Axis, Axis, steps: 8).FreeEnergy
            .Should().Equal(model.Diffusion!.FreeEnergyProfile(0, 0.6, Axis, Axis, steps: 8).FreeEnergy);
        loaded.CollectiveVariableDiffusion!.IsAvailable.Should().BeTrue();
        Bits(loaded.CollectiveVariableDiffusion!.Sample(64, temperature: 0.45, seed: 9))
            .Should().Equal(Bits(model.CollectiveVariableDiffusion!.Sample(64, temperature: 0.45, seed: 9)));
        Bits(loaded.CollectiveVariableDiffusion!.LogDensity(points, temperature: 0.6, steps: 10))
            .Should().Equal(Bits(model.CollectiveVariableDiffusion!.LogDensity(points, temperature: 0.6, steps: 10)));
    }

    [Fact]
    public void Save_TwiceTheSameModel_WritesTheSameBytes_AndTheStreamFormIsTheFileForm()
    {
        var first = Path.Combine(_folder, "a.dspib");
        var second = Path.Combine(_folder, "b.dspib");
        using var stream = new MemoryStream();

        trained.Dspib.Save(first);
        trained.Dspib.Save(second);
        trained.Dspib.Save(stream);

        File.ReadAllBytes(second).Should().Equal(File.ReadAllBytes(first));
        stream.ToArray().Should().Equal(File.ReadAllBytes(first));
        stream.Position = 0;
        using var loaded = DSpibModel.Load(stream);
        Bits(loaded.Diffusion!.Sample(32, 0.6, seed: 1)).Should().Equal(Bits(trained.Dspib.Diffusion!.Sample(32, 0.6, seed: 1)));
    }

    [Fact]
    public void Save_WritesTheDocumentedManifest_WithEveryModuleAndChecksum()
    {
        var path = Path.Combine(_folder, "dspib.dspib");
        trained.Dspib.Save(path);

        using var archive = ZipFile.OpenRead(path);
        archive.Entries.Select(e => e.FullName).Should().BeEquivalentTo(
            "manifest.json", "manifest.sha256", "weights/encoder.bin", "weights/decoder.bin", "weights/vamp-prior.bin", "weights/diffusion-prior.bin", "weights/collective-variable-prior.bin");
        using var manifest = JsonDocument.Parse(archive.GetEntry("manifest.json")!.Open());
        var root = manifest.RootElement;
        root.GetProperty("format").GetString().Should().Be("dspib-model");
        root.GetProperty("formatVersion").GetInt32().Should().Be(1);
        root.GetProperty("model").GetProperty("sde").GetProperty("temperatureLaw").GetProperty("name").GetString().Should().Be("linear");
        root.GetProperty("network").GetProperty("diffusionReferenceTemperature").GetDouble().Should().Be(0.6, "T_ref defaults to the lowest training temperature");
        root.GetProperty("network").GetProperty("stateCount").GetInt32().Should().Be(trained.Dspib.StateCount);
        foreach (var entry in archive.Entries.Where(e => e.FullName.StartsWith("weights/", StringComparison.Ordinal)))
        {
            using var content = new MemoryStream();
            entry.Open().CopyTo(content);
            root.GetProperty("entries").GetProperty(entry.FullName).GetString().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content.ToArray())));
        }
    }

    [Fact]
    public void WeightEntries_AreTorchSharpStateDictionaries_WithEveryParameterAndBuffer()
    {
        var path = Path.Combine(_folder, "dspib.dspib");
        trained.Dspib.Save(path);
        var network = trained.Dspib.Network;
        using var archive = ZipFile.OpenRead(path);

        // TorchSharp's own loader accepts each entry for a module of the same shape, strictly (every name, shape and type).
        using var generator = new torch.Generator(123);
        using var decoder = new DSpib.Spib.StateDecoder(2, [16, 16], network.StateCount, DSpib.Networks.Activation.ReLU, torch.ScalarType.Float32, generator);
        using (var reader = new BinaryReader(archive.GetEntry("weights/decoder.bin")!.Open()))
        {
            decoder.load(reader, strict: true);
        }

        foreach (var (name, value) in decoder.state_dict())
        {
            Values(value).Should().Equal(Values(network.Decoder.state_dict()[name]), name);
        }

        // The diffusion prior's entry holds the Fourier frequency buffers beside the parameters, but not the schedule tables the SDE rebuilds.
        network.Diffusion!.state_dict().Keys.Should().Contain(k => k.EndsWith("frequencies", StringComparison.Ordinal)).And.NotContain("alpha_bars");
        network.Prior.state_dict().Keys.Should().Contain("pseudoInputs");
    }

    [Fact]
    public void Load_OntoFloat64_ConvertsTheWeightsExactly_AndAgreesToFloat32Rounding()
    {
        var path = Path.Combine(_folder, "dspib.dspib");
        trained.Dspib.Save(path);

        using var loaded = DSpibModel.Load(path, DeviceBackend.Cpu(precision: TensorPrecision.Float64));

        loaded.Backend.Precision.Should().Be(TensorPrecision.Float64);
        foreach (var (name, value) in loaded.Network.Encoder.state_dict())
        {
            // float32 -> float64 is exact, so the weights are the saved ones.
            value.dtype.Should().Be(torch.ScalarType.Float64);
            Values(value).Should().Equal(Values(trained.Dspib.Network.Encoder.state_dict()[name]), name);
        }

        // Encode is one affine map of standardised inputs of order 1: float32 arithmetic is good to a few ulps (~1e-7 relative).
        var frames = trained.Frames;
        var single = trained.Dspib.Encode(frames);
        var dual = loaded.Encode(frames);
        var largest = single.Cast<double>().Max(Math.Abs);
        dual.Cast<double>().Zip(single.Cast<double>(), (a, b) => Math.Abs(a - b)).Max().Should().BeLessThan(1e-6 * Math.Max(1, largest));
        loaded.Diffusion!.Sample(100, 0.6, seed: 2).Cast<double>().Should().OnlyContain(v => double.IsFinite(v));
    }

    [Fact]
    public void Save_BeforeTraining_ThrowsSayingTheModelIsNotTrained()
    {
        using var model = DSpibModel.Create().WithInputDimension(2).Build();
        var path = Path.Combine(_folder, "untrained.dspib");

        var act = () => model.Save(path);

        act.Should().Throw<InvalidOperationException>().WithMessage("*not trained*nothing to save*Fit*");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        var act = () => DSpibModel.Load(Path.Combine(_folder, "absent.dspib"));

        act.Should().Throw<FileNotFoundException>();
    }

    [Fact]
    public void Load_CustomTemperatureLaw_NeedsTheLawByName()
    {
        var cubic = TemperatureLaw.Custom("cubic", r => r * r * r);
        using var model = TrainedModels.NewDiffusionModel(cubic);
        TrainedModels.NewTrainer(maxEpochs: 2).Fit(model, trained.Data, trained.Labels);
        var path = Path.Combine(_folder, "cubic.dspib");
        model.Save(path);

        var withoutLaw = () => DSpibModel.Load(path);
        var wrongLaw = () => DSpibModel.Load(path, temperatureLaw: TemperatureLaw.Custom("square", r => r * r));
        var builtInLaw = () => DSpibModel.Load(path, temperatureLaw: TemperatureLaw.Linear);
        using var loaded = DSpibModel.Load(path, temperatureLaw: TemperatureLaw.Custom("cubic", r => r * r * r));

        withoutLaw.Should().Throw<ModelFileException>().Where(e => e.Reason == ModelFileError.MissingTemperatureLaw).WithMessage("*custom temperature law 'cubic'*temperatureLaw:*");
        wrongLaw.Should().Throw<ArgumentException>().WithParameterName("temperatureLaw").WithMessage("*'cubic'*'square'*");
        builtInLaw.Should().Throw<ArgumentException>().WithParameterName("temperatureLaw").WithMessage("*custom temperature law named 'cubic'*built-in 'linear'*");
        Bits(loaded.Diffusion!.Sample(50, temperature: 0.9, seed: 4)).Should().Equal(Bits(model.Diffusion!.Sample(50, temperature: 0.9, seed: 4)));
    }

    [Fact]
    public void Load_BuiltInLawModelWithALaw_ThrowsNamingTheArgument()
    {
        var path = Path.Combine(_folder, "linear.dspib");
        trained.Dspib.Save(path);

        var act = () => DSpibModel.Load(path, temperatureLaw: TemperatureLaw.SquareRoot);

        act.Should().Throw<ArgumentException>().WithParameterName("temperatureLaw").WithMessage("*built-in temperature law 'linear'*");
    }

    [Fact]
    public void LoadedModel_KeepsWorkingAfterItsSourceIsDisposed()
    {
        var path = Path.Combine(_folder, "spib.dspib");
        trained.Spib.Save(path);
        using var first = DSpibModel.Load(path);
        var expected = trained.Spib.Encode(trained.Frames);

        using var second = DSpibModel.Load(path);
        first.Dispose();

        Bits(second.Encode(trained.Frames)).Should().Equal(Bits(expected));
        second.PredictStates(trained.Frames).Should().OnlyContain(s => s >= 0 && s < second.StateCount);
    }

    /// <summary>The values of a tensor as doubles (exact for float32 and float64).</summary>
    private static double[] Values(torch.Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        return tensor.detach().to(torch.ScalarType.Float64).cpu().data<double>().ToArray();
    }

    private static long[] Bits(double[,] values) => values.Cast<double>().Select(BitConverter.DoubleToInt64Bits).ToArray();

    private static long[] Bits(double[] values) => values.Select(BitConverter.DoubleToInt64Bits).ToArray();
}
