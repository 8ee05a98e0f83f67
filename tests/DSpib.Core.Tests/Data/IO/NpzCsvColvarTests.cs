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

    [Theory]
    [InlineData("1.5,\n2.5,3.5\n4.5,5.5\n", "*field 2 is empty*")]
    [InlineData("NA,1.5\n2.5,3.5\n", "*field 1 is 'NA'*")]
    [InlineData("x,1.5\n2.5,3.5\n", "*1 of its 2 fields are numbers*")]
    [InlineData("# comment\n\ntime,\n1,2\n", "*line 3*field 2 is empty*")]
    public void Read_AFirstLineThatCouldBeHeaderOrData_IsRefusedNamingTheLineAndTheOption(string text, string why)
    {
        var act = () => Csv.Read(new StringReader(text));

        act.Should().Throw<InvalidDataException>().WithMessage("*line*cannot tell whether the first line is a header or data*").WithMessage(why).WithMessage("*CsvOptions.HasHeader*");
    }

    [Fact]
    public void Read_AFirstLineWithAnEmptyField_IsReadAsTheOptionSays()
    {
        const string Text = "1.5,\n2.5,3.5\n4.5,5.5\n";

        var asHeader = Csv.Read(new StringReader(Text), new CsvOptions { HasHeader = true });
        var asData = () => Csv.Read(new StringReader(Text), new CsvOptions { HasHeader = false });

        asHeader.ColumnNames.Should().Equal("1.5", "");
        asHeader.RowCount.Should().Be(2);
        asData.Should().Throw<InvalidDataException>().WithMessage("*line 1, column 2: '' is not a number*");
    }

    [Theory]
    [InlineData("x,y\n1,2\n", 1)]
    [InlineData("\"time\";\"phi\"\n1;2\n3;4\n", 2)]
    [InlineData("1,2\n3,4\n", 2)]
    [InlineData("nan,-inf\n3,4\n", 2)]
    public void Read_AnUnambiguousFirstLine_IsStillDetected(string text, int rows)
    {
        Csv.Read(new StringReader(text)).RowCount.Should().Be(rows);
    }

    [Theory]
    [InlineData("1,2\n3,1e400\n", "*line 2, column 2: '1e400' is beyond the range*")]
    [InlineData("a,b\n-1e309,2\n", "*line 2, column 1: '-1e309' is beyond the range*")]
    public void Read_AValueBeyondTheRangeOfADouble_IsAnErrorNamingLineAndColumn(string text, string message)
    {
        var act = () => Csv.Read(new StringReader(text));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Read_SpelledOutInfinities_AreStillInfinities()
    {
        Csv.Read(new StringReader("Infinity,-INF,+inf,1e308\n")).ToMatrix().Should().BeEquivalentTo(new double[,] { { double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, 1e308 } });
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

    [Theory]
    [InlineData("#! FIELDS time phi psi phi\n0 1 2 3\n", "*line 1*field 'phi' is named 2 times*")]
    [InlineData("#! FIELDS time phi\n0 1\n1 1e400\n", "*line 3, column 2: '1e400' is beyond the range*")]
    [InlineData("#! FIELDS\n", "*line 1*names no fields*")]
    public void Read_AmbiguousOrOutOfRangeContent_IsRefusedNamingTheLine(string text, string message)
    {
        var act = () => Colvar.Read(new StringReader(text));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
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
