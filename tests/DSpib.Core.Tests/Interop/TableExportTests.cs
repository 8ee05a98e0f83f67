using DSpib.Analysis;
using DSpib.Core.Tests.Data.IO;
using DSpib.Data;
using DSpib.Data.IO;
using DSpib.Interop;

namespace DSpib.Core.Tests.Interop;

[Collection(ExportModelsGroup.Name)]
public class TableExportTests(ExportModels models)
{
    [Theory]
    [InlineData(TableFormat.Npy)]
    [InlineData(TableFormat.Csv)]
    public void ExportLatentTrajectories_OneFilePerTrajectory_ReadsBackAsEncode(TableFormat format)
    {
        using var folder = new TemporaryFolder();

        var paths = models.Linear.ExportLatentTrajectories(models.Data, folder.Path, format);

        var extension = format == TableFormat.Npy ? ".npy" : ".csv";
        paths.Select(Path.GetFileName).Should().Equal("latent-000" + extension, "latent-001" + extension);
        for (var t = 0; t < paths.Count; t++)
        {
            var expected = models.Linear.Encode(models.Data.Trajectories[t].ToMatrix());

            // Both writers keep every bit (.npy float64, CSV with round-trip formatting).
            if (format == TableFormat.Npy)
            {
                Npy.ReadMatrix(paths[t]).Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
            }
            else
            {
                var table = Csv.Read(paths[t]);
                table.ColumnNames.Should().Equal("z1", "z2");
                table.ToMatrix().Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
            }
        }
    }

    [Fact]
    public void ExportLatentTrajectories_DataWithOtherDescriptors_IsRefusedBeforeWriting()
    {
        using var folder = new TemporaryFolder();
        var twoDescriptors = TrajectorySet.Create().Add(new double[,] { { 1, 2 }, { 3, 4 } }, temperature: 1).Build();

        var act = () => models.Linear.ExportLatentTrajectories(twoDescriptors, folder.Path);

        act.Should().Throw<ArgumentException>().WithParameterName("data");
        Directory.GetFiles(folder.Path).Should().BeEmpty();
    }

    [Fact]
    public void ExportLatentTrajectories_MissingFolder_SaysToCreateIt()
    {
        using var folder = new TemporaryFolder();

        var act = () => models.Linear.ExportLatentTrajectories(models.Data, folder.File("absent"));

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*absent*create it*");
    }

    [Theory]
    [InlineData(TableFormat.Npy)]
    [InlineData(TableFormat.Csv)]
    public void ExportStateLabels_PredictedStates_ReadBackPerTrajectory(TableFormat format)
    {
        using var folder = new TemporaryFolder();
        var states = models.Linear.PredictStates(models.Data);

        var paths = states.ExportStateLabels(folder.Path, format);

        paths.Should().HaveCount(states.TrajectoryCount);
        for (var t = 0; t < paths.Count; t++)
        {
            var read = format == TableFormat.Npy
                ? Npy.ReadLabels(paths[t])
                : Csv.Read(paths[t]).Select("state").Cast<double>().Select(v => (int)v).ToArray();
            read.Should().Equal(states.ForTrajectory(t).ToArray());
        }

        if (format == TableFormat.Npy)
        {
            Npy.Read(paths[0]).DataType.Should().Be(NpyDataType.Int32);
        }
    }

    [Theory]
    [InlineData("profile.npy")]
    [InlineData("profile.CSV")]
    public void ExportTable_Profile_WritesGridAndFreeEnergy_IncludingInfinity(string name)
    {
        using var folder = new TemporaryFolder();

        // Two separated clusters leave empty bins in between, whose free energy is +infinity.
        var profile = FreeEnergyProfile.FromHistogram([0.1, 0.15, 0.2, 0.9, 0.95], bins: 10, min: 0, max: 1);
        profile.FreeEnergy.Should().Contain(double.PositiveInfinity);
        var path = folder.File(name);

        profile.ExportTable(path);

        var table = name.EndsWith(".npy", StringComparison.Ordinal) ? Npy.ReadMatrix(path) : Csv.Read(path).ToMatrix();
        table.GetLength(0).Should().Be(10);
        for (var i = 0; i < 10; i++)
        {
            table[i, 0].Should().Be(profile.Grid[i]);
            table[i, 1].Should().Be(profile.FreeEnergy[i]);
        }

        if (!name.EndsWith(".npy", StringComparison.Ordinal))
        {
            Csv.Read(path).ColumnNames.Should().Equal("x", "free_energy");
        }
    }

    [Theory]
    [InlineData("surface.npy")]
    [InlineData("surface.csv")]
    public void ExportTable_Surface_LongTableWithXSlowest(string name)
    {
        using var folder = new TemporaryFolder();
        double[] x = [0, 0.5, 1];
        double[] y = [-1, 0, 1, 2];
        var logDensity = new double[3, 4];
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                logDensity[i, j] = -((x[i] * x[i]) + (0.5 * y[j] * y[j]));
            }
        }

        var surface = new FreeEnergySurface(x, y, logDensity);
        var path = folder.File(name);

        surface.ExportTable(path);

        var table = name.EndsWith(".npy", StringComparison.Ordinal) ? Npy.ReadMatrix(path) : Csv.Read(path).ToMatrix();
        table.GetLength(0).Should().Be(12);
        table.GetLength(1).Should().Be(3);
        var matrix = surface.ToMatrix();
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                var row = (i * 4) + j;
                table[row, 0].Should().Be(x[i]);
                table[row, 1].Should().Be(y[j]);
                table[row, 2].Should().Be(matrix[i, j]);
            }
        }
    }

    [Fact]
    public void ExportTable_UnknownExtension_IsRefusedWithoutWriting()
    {
        using var folder = new TemporaryFolder();
        var profile = FreeEnergyProfile.FromHistogram([0.1, 0.2, 0.3], bins: 3);

        var act = () => profile.ExportTable(folder.File("profile.txt"));

        act.Should().Throw<ArgumentException>().WithParameterName("path").WithMessage("*.npy*.csv*");
        Directory.GetFiles(folder.Path).Should().BeEmpty();
    }
}
