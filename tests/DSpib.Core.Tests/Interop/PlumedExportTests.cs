using DSpib.Core.Tests.Data.IO;
using DSpib.Interop;
using DSpib.Networks;
using DSpib.Spib;

namespace DSpib.Core.Tests.Interop;

[Collection(ExportModelsGroup.Name)]
public class PlumedExportTests(ExportModels models)
{
    private static readonly string[] Outputs = ["dspib_z1", "dspib_z2"];

    /// <summary>Writes the export to a file, parses that file and evaluates it on frames.</summary>
    private static (PlumedInput Input, double[,] Latent) ExportAndEvaluate(DSpibModel model, double[,] frames)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("dspib.dat");
        model.ExportPlumed(path, ExportModels.ArgumentNames);
        var input = PlumedInput.Parse(File.ReadAllText(path));
        return (input, input.Evaluate(frames, ExportModels.ArgumentNames, Outputs));
    }

    private static double MaxAbsDifference(double[,] a, double[,] b)
    {
        a.GetLength(0).Should().Be(b.GetLength(0));
        a.GetLength(1).Should().Be(b.GetLength(1));
        var max = 0.0;
        for (var n = 0; n < a.GetLength(0); n++)
        {
            for (var k = 0; k < a.GetLength(1); k++)
            {
                max = Math.Max(max, Math.Abs(a[n, k] - b[n, k]));
            }
        }

        return max;
    }

    private static double Spread(double[,] z, int column)
    {
        var values = Enumerable.Range(0, z.GetLength(0)).Select(n => z[n, column]).ToArray();
        return values.Max() - values.Min();
    }

    [Fact]
    public void ExportPlumed_LinearEncoder_CombineActionsReproduceEncode()
    {
        var frames = models.Frames();

        var (input, latent) = ExportAndEvaluate(models.Linear, frames);

        input.Actions.Should().Equal("COMBINE", "COMBINE");
        input.Labels.Should().Equal(Outputs);

        // The model computes in float32 (relative rounding 6e-8 on values up to ~30), the export in float64; a wrong
        // folding of the standardisation would be off by the size of the latent values themselves.
        var expected = models.Linear.Encode(frames);
        Spread(expected, 0).Should().BeGreaterThan(0.1, "the comparison needs latent values that vary");
        MaxAbsDifference(latent, expected).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void ExportPlumed_LinearEncoderInFloat64_IsExactToRounding()
    {
        var frames = models.Frames();

        var (_, latent) = ExportAndEvaluate(models.LinearFloat64, frames);

        // Both sides in float64: only the reordering of a few sums separates them.
        MaxAbsDifference(latent, models.LinearFloat64.Encode(frames)).Should().BeLessThan(1e-12);
    }

    [Theory]
    [InlineData(Activation.Tanh, "Tanh")]
    [InlineData(Activation.Identity, "Linear")]
    public void ExportPlumed_MlpEncoder_AnnActionReproducesEncode(Activation activation, string plumedActivation)
    {
        var model = models.Mlp(activation);
        var frames = models.Frames();

        var (input, latent) = ExportAndEvaluate(model, frames);

        input.Actions.Should().Equal("ANN", "COMBINE", "COMBINE");
        input.Labels.Should().Equal("dspib_ann", "dspib_z1", "dspib_z2");
        var text = model.ToPlumedInput(ExportModels.ArgumentNames);
        text.Should().Contain("NUM_LAYERS=4").And.Contain("NUM_NODES=3,8,8,2").And.Contain($"ACTIVATIONS={plumedActivation},{plumedActivation},Linear");

        // As for the linear encoder: float32 model against the float64 evaluation of its exported numbers.
        var expected = model.Encode(frames);
        Spread(expected, 0).Should().BeGreaterThan(0.1, "the comparison needs latent values that vary");
        MaxAbsDifference(latent, expected).Should().BeLessThan(1e-5);
    }

    [Fact]
    public void ToPlumedInput_IsWhatExportPlumedWrites_AndUsesTheLabel()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("cv.dat");

        models.Linear.ExportPlumed(path, ExportModels.ArgumentNames, label: "spib");

        File.ReadAllText(path).Should().Be(models.Linear.ToPlumedInput(ExportModels.ArgumentNames, label: "spib"));
        PlumedInput.Parse(File.ReadAllText(path)).Labels.Should().Equal("spib_z1", "spib_z2");
    }

    [Theory]
    [InlineData(Activation.ReLU)]
    [InlineData(Activation.SiLU)]
    public void ToPlumedInput_ActivationWithoutPlumedCounterpart_ThrowsBeforeTraining(Activation activation)
    {
        using var model = DSpibModel.Create().WithInputDimension(3).WithMlpEncoder([4], activation).Build();

        var act = () => model.ToPlumedInput(ExportModels.ArgumentNames);

        act.Should().Throw<NotSupportedException>().WithMessage($"*{activation}*Tanh*");
    }

    [Fact]
    public void ToPlumedInput_UntrainedModel_SaysToTrainFirst()
    {
        using var model = DSpibModel.Create().WithInputDimension(3).Build();

        var act = () => model.ToPlumedInput(ExportModels.ArgumentNames);

        act.Should().Throw<InvalidOperationException>().WithMessage("*not trained*");
    }

    [Theory]
    [InlineData(new[] { "d1", "d2" }, "*3*2*")]
    [InlineData(new[] { "d1", "d 2", "d3" }, "*'d 2'*")]
    [InlineData(new[] { "d1", "d2,x", "d3" }, "*'d2,x'*")]
    [InlineData(new[] { "d1", "d1", "d3" }, "*'d1' is given twice*")]
    public void ToPlumedInput_BadArgumentNames_NamesTheProblem(string[] names, string message)
    {
        var act = () => models.Linear.ToPlumedInput(names);

        act.Should().Throw<ArgumentException>().WithParameterName("argumentNames").WithMessage(message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("my.cv")]
    [InlineData("1cv")]
    [InlineData("a b")]
    public void ToPlumedInput_BadLabel_IsRefused(string label)
    {
        var act = () => models.Linear.ToPlumedInput(ExportModels.ArgumentNames, label);

        act.Should().Throw<ArgumentException>().WithParameterName(nameof(label));
    }

    [Fact]
    public void ExportPlumed_FailedExport_LeavesTheExistingFileAlone()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("dspib.dat");
        File.WriteAllText(path, "previous content");

        var act = () => models.Linear.ExportPlumed(path, ["d1"]);

        act.Should().Throw<ArgumentException>();
        File.ReadAllText(path).Should().Be("previous content");
        Directory.GetFiles(folder.Path).Should().ContainSingle();
    }
}
