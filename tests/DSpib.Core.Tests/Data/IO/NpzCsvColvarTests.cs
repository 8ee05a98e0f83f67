using System.IO.Compression;
using DSpib.Data.IO;

namespace DSpib.Core.Tests.Data.IO;

public class NpzTests
{
    [Fact]
    public void Read_StoredAndDeflatedEntries()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("data.npz");
        using (var archive = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using (var stored = archive.CreateEntry("x.npy", CompressionLevel.NoCompression).Open())
            {
                stored.Write(NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", NpyFiles.Doubles(false, 1, 2)));
            }

            using var deflated = archive.CreateEntry("labels.npy", CompressionLevel.Optimal).Open();
            deflated.Write(NpyFiles.Build(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", NpyFiles.Int64s(0, 1, 1)));
        }

        var arrays = Npz.Read(path);

        arrays.Keys.Should().BeEquivalentTo(["x", "labels"]);
        arrays["x"].Values.ToArray().Should().Equal(1, 2);
        arrays["labels"].ToInt32Array().Should().Equal(0, 1, 1);
    }

    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("out.npz");

        Npz.Write(path, new Dictionary<string, double[,]> { ["z"] = new double[,] { { 1, 2 }, { 3, 4 } } });

        Npz.Read(path)["z"].ToMatrix()[1, 0].Should().Be(3);
    }

    [Fact]
    public void Read_NotAZip_IsRefused()
    {
        var act = () => Npz.Read(new MemoryStream([1, 2, 3, 4]));

        act.Should().Throw<InvalidDataException>().WithMessage("*not a NumPy .npz archive*");
    }
}

public class CsvTests
{
    [Fact]
    public void Read_WithHeaderAndComments()
    {
        var table = Csv.Read(new StringReader("# made by hand\nx,y\n1,2\n\n3.5,-4e-1\n"));

        table.ColumnNames.Should().Equal("x", "y");
        table.ToMatrix().Should().BeEquivalentTo(new double[,] { { 1, 2 }, { 3.5, -0.4 } }, o => o.WithStrictOrdering());
        table.Select("y")[1, 0].Should().Be(-0.4);
    }

    [Theory]
    [InlineData("1\t2\n3\t4\n")]
    [InlineData("1   2\n  3 4\n")]
    [InlineData("1;2\n3;4\n")]
    public void Read_DetectsTheDelimiter_AndNamesColumnsWithoutAHeader(string text)
    {
        var table = Csv.Read(new StringReader(text));

        table.ColumnNames.Should().Equal("c0", "c1");
        table.ToMatrix()[1, 1].Should().Be(4);
    }

    [Fact]
    public void Read_NanAndInfinity_AreParsed()
    {
        var matrix = Csv.Read(new StringReader("nan,inf,-inf\n")).ToMatrix();

        double.IsNaN(matrix[0, 0]).Should().BeTrue();
        matrix[0, 1].Should().Be(double.PositiveInfinity);
        matrix[0, 2].Should().Be(double.NegativeInfinity);
    }

    [Fact]
    public void Read_RaggedRow_NamesTheLine()
    {
        var act = () => Csv.Read(new StringReader("a,b\n1,2\n3\n"));

        act.Should().Throw<InvalidDataException>().WithMessage("*line 3*1 columns where 2*");
    }

    [Fact]
    public void Read_NotANumber_NamesLineAndColumn()
    {
        var act = () => Csv.Read(new StringReader("1,2\n3,x\n"));

        act.Should().Throw<InvalidDataException>().WithMessage("*line 2, column 2*'x'*");
    }

    [Fact]
    public void Select_UnknownColumn_ListsTheColumns()
    {
        var table = Csv.Read(new StringReader("x,y\n1,2\n"));

        var act = () => table.Select("z");

        act.Should().Throw<ArgumentException>().WithParameterName("columns").WithMessage("*'z'*x, y*");
    }

    [Fact]
    public void Write_ThenRead_RoundTripsExactly()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("m.csv");
        var data = new double[,] { { 0.1, 1.0 / 3 }, { -1e-300, 12345.678 } };

        Csv.Write(path, data, ["a", "b"]);

        var table = Csv.Read(path);
        table.ColumnNames.Should().Equal("a", "b");
        table.ToMatrix().Should().BeEquivalentTo(data, o => o.WithStrictOrdering());
    }
}

public class ColvarTests
{
    private const string Sample = """
        #! FIELDS time phi psi
        #! SET min_phi -pi
        #! SET max_phi pi
         0.000000 -1.5 2.5
         1.000000 -1.4 2.4
        # a comment
        #! FIELDS time phi psi
         2.000000 -1.3 2.3
        """;

    [Fact]
    public void Read_FieldsConstantsAndRestartedRuns()
    {
        var table = Colvar.Read(new StringReader(Sample));

        table.Fields.Should().Equal("time", "phi", "psi");
        table.Constants.Should().Contain("min_phi", "-pi").And.Contain("max_phi", "pi");
        table.RowCount.Should().Be(3);
        table.Column("psi").Should().Equal(2.5, 2.4, 2.3);
        table.Select("psi", "phi")[2, 1].Should().Be(-1.3);
    }

    [Fact]
    public void Read_ChangedFields_NamesTheLine()
    {
        var act = () => Colvar.Read(new StringReader("#! FIELDS time a\n0 1\n#! FIELDS time b\n1 2\n"));

        act.Should().Throw<InvalidDataException>().WithMessage("*line 3*fields changed*");
    }

    [Fact]
    public void Read_WithoutFieldsHeader_IsRefused()
    {
        var act = () => Colvar.Read(new StringReader("0 1 2\n"));

        act.Should().Throw<InvalidDataException>().WithMessage("*'#! FIELDS'*");
    }

    [Fact]
    public void Select_UnknownField_ListsTheFields()
    {
        var table = Colvar.Read(new StringReader(Sample));

        var act = () => table.Select("omega");

        act.Should().Throw<ArgumentException>().WithParameterName("fields").WithMessage("*'omega'*time, phi, psi*");
    }
}
