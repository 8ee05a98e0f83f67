using DSpib.Data.IO;

namespace DSpib.Core.Tests.Data.IO.Gromacs;

public class XvgTests
{
    [Fact]
    public void Read_GmxEnergy_NamesColumnsByLegend()
    {
        var table = Xvg.Read(GromacsFixtures.File("energy.xvg"));

        table.ColumnNames.Should().Equal("Time", "Potential", "Kinetic En.", "Temperature");
        table.Title.Should().Be("GROMACS Energies");
        table.XAxisLabel.Should().Be("Time (ps)");
        table.YAxisLabel.Should().Be("(kJ/mol), (K)");
        table.RowCount.Should().Be(21);
        table.X.Should().Equal(Enumerable.Range(0, 21).Select(t => (double)t));
        table.Column("Potential")[1].Should().Be(-55.915588);
        table.Select("Temperature", "Time")[2, 0].Should().Be(223.482819);
    }

    [Fact]
    public void Read_GmxAngleWithoutLegends_NamesColumnsY1Y2()
    {
        var table = Xvg.Read(GromacsFixtures.File("dihedrals.xvg"));

        table.ColumnNames.Should().Equal("Time", "y1", "y2", "y3");
        table.ToMatrix()[0, 2].Should().Be(-77.548);
        table.Column(3)[0].Should().Be(60.703);
    }

    [Fact]
    public void Read_WithoutDirectives_OldLegendsAndNan()
    {
        var plain = Xvg.Read(new StringReader("0 1.5\n1 -nan\n"));
        var old = Xvg.Read(new StringReader("@ legend string 0 \"phi\"\n@ legend string 1 \"psi\"\n0 1 2\n&\n"));

        plain.ColumnNames.Should().Equal("x", "y1");
        double.IsNaN(plain.Column("y1")[1]).Should().BeTrue();
        old.ColumnNames.Should().Equal("x", "phi", "psi");
    }

    [Fact]
    public void Column_Unknown_ListsTheColumns()
    {
        var table = Xvg.Read(GromacsFixtures.File("energy.xvg"));

        var act = () => table.Column("Pressure");

        act.Should().Throw<ArgumentException>().WithMessage("*no column 'Pressure'*Time, Potential, Kinetic En., Temperature*");
    }

    [Theory]
    [InlineData("0 1\n1 2 3\n", "text, line 2: 3 values, the first row has 2.")]
    [InlineData("# c\n0 1\n1 abc\n", "text, line 3, column 2: 'abc' is not a number.")]
    [InlineData("0 1\n&\n0 2\n", "text, line 3: a second data set follows '&'*")]
    [InlineData("-70.1 120.3 ALA-2\n", "text, line 1, column 3: 'ALA-2' is not a number.")]
    [InlineData("# only comments\n@ title \"x\"\n", "text has no data rows.")]
    public void Read_BadFiles_NameTheLine(string text, string message)
    {
        var act = () => Xvg.Read(new StringReader(text));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }
}
