using DSpib.Data.IO;

namespace DSpib.Core.Tests.Data.IO.Gromacs;

public class GroTests
{
    [Fact]
    public void Read_MultiFrameFile_GivesAtomsPositionsTimesAndBoxes()
    {
        var gro = Gro.Read(GromacsFixtures.File("ala2-vacuum.gro"));

        gro.Trajectory.FrameCount.Should().Be(21);
        gro.Trajectory.AtomCount.Should().Be(22);
        gro.Atoms[0].Should().Be(new GroAtom(1, "ACE", "CH3", 1));
        gro.Atoms[21].Should().Be(new GroAtom(3, "NME", "HH33", 22));
        gro.AtomIndices(a => !a.IsHydrogen).Should().Equal(0, 4, 5, 6, 8, 10, 14, 15, 16, 18);
        gro.Trajectory.Times.Should().Equal(Enumerable.Range(0, 21).Select(t => (double)t));
        gro.Trajectory.Steps[3].Should().Be(1500);
        gro.Trajectory.Precisions.Should().AllSatisfy(p => p.Should().Be(1000));
        gro.Titles[1].Should().StartWith("Protein t=   1.00000");
        gro.HasVelocities.Should().BeFalse();
        var first = gro.Trajectory.Frame(0);
        first[0, 0].Should().Be(2.704);
        first[0, 1].Should().Be(2.925);
        first[0, 2].Should().Be(2.922);
        gro.Trajectory.ToArray()[20, 21, 2].Should().Be(gro.Trajectory.Frame(20)[21, 2]);
        gro.Trajectory.OrthorhombicBoxes()[5, 1].Should().Be(6);
        gro.Trajectory.Box(5)[0, 1].Should().Be(0);
    }

    [Fact]
    public void Read_Velocities_AreTheLastThreeFields()
    {
        var gro = Gro.Read(GromacsFixtures.File("ala2-water.gro"));

        gro.Trajectory.FrameCount.Should().Be(2);
        gro.Trajectory.AtomCount.Should().Be(661);
        gro.HasVelocities.Should().BeTrue();
        // "    1ACE    CH3    1   0.702   0.927   0.923  1.0164  0.3086 -0.7395"
        var velocities = gro.Velocities(0);
        velocities[0, 0].Should().Be(1.0164);
        velocities[0, 2].Should().Be(-0.7395);
        gro.Trajectory.Frame(0)[0, 2].Should().Be(0.923);
        gro.Atoms[660].ResidueName.Should().Be("SOL");
        gro.Atoms.Count(a => a.AtomName == "OW").Should().Be(213);
    }

    [Fact]
    public void Read_WiderFields_AndATriclinicBox()
    {
        const string text = "wide\n 2\n    1ALA     CA    1   1.12345   2.00000  -3.50000\n    1ALA     CB    2  10.00000  20.00000  30.00000\n 1 2 3 0 0 0.5 0 0.25 0.75\n";

        var gro = Gro.Read(new StringReader(text));

        gro.Trajectory.Frame(0)[0, 0].Should().Be(1.12345);
        gro.Trajectory.Frame(0)[1, 2].Should().Be(30);
        gro.Trajectory.Precisions[0].Should().Be(100000);
        gro.Trajectory.Times[0].Should().Be(double.NaN);
        gro.Trajectory.Steps[0].Should().Be(-1);
        // Rows a = (v1x, v1y, v1z), b = (v2x, v2y, v2z), c = (v3x, v3y, v3z).
        gro.Trajectory.Box(0).Should().BeEquivalentTo(new double[,] { { 1, 0, 0 }, { 0.5, 2, 0 }, { 0.25, 0.75, 3 } }, o => o.WithStrictOrdering());
        var act = () => gro.Trajectory.OrthorhombicBoxes();
        act.Should().Throw<InvalidOperationException>().WithMessage("*triclinic*");
    }

    [Theory]
    [InlineData("t\nx\n", "*line 2*not an atom count*")]
    [InlineData("t\n 2\n    1ALA     CA    1   1.000   2.000   3.000\n", "*truncated*atom 2 of 2*")]
    [InlineData("t\n 1\n    1ALA     CA    1   1.000   2.0x0   3.000\n 1 1 1\n", "*line 3*columns 29-36*'2.0x0' is not a number*")]
    [InlineData("t\n 1\n    1ALA     CA    1   1.000   2.000   3.000\n 1 1\n", "*line 4*not a box line*")]
    [InlineData("t\n 1\n    1ALA     CA    1\n 1 1 1\n", "*line 3*not a .gro atom line*")]
    [InlineData("t\n 1\n    1ALA     CA    1   1.000   2.000   3.000\n 1 1 1\nt\n 2\n", "*line 6*2 atoms, the first frame 1*")]
    [InlineData("t\n 1\n    1ALA     CA    1   1.000   2.000   3.000\n 1 1 1\nt\n 1\n    1ALA     CB    1   1.000   2.000   3.000\n 1 1 1\n", "*line 7*all frames must have the same atoms*")]
    [InlineData("", "*empty*")]
    public void Read_BadFiles_NameTheLine(string text, string message)
    {
        var act = () => Gro.Read(new StringReader(text));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Theory]
    [InlineData("    1ALA     CA    1   1.000   2.000   1e400", "37-44: '1e400'")]
    [InlineData("    1ALA     CA    1   1.000   2.000  -1e400", "37-44: '-1e400'")]
    [InlineData("    1ALA     CA    1   1.000   2.000   3.000  0.0000  0.0000  -1e400", "61-68: '-1e400'")]
    public void Read_ANumberBeyondTheRangeOfADouble_IsRefused(string atomLine, string number)
    {
        var act = () => Gro.Read(new StringReader($"t\n 1\n{atomLine}\n 1 1 1\n"));

        act.Should().Throw<InvalidDataException>().WithMessage($"text, line 3, columns {number} is beyond the range of a 64-bit float*");
    }

    [Fact]
    public void Read_NanAndInfinityWrittenOut_AreReadAsSuch()
    {
        var gro = Gro.Read(new StringReader("t\n 1\n    1ALA     CA    1   1.000   2.000     NaN  0.0000  0.0000Infinity\n 1 1 1\n"));

        double.IsNaN(gro.Trajectory.Frame(0)[0, 2]).Should().BeTrue();
        gro.Velocities(0)[0, 2].Should().Be(double.PositiveInfinity);
    }

    [Fact]
    public void Read_ATitleTimeBeyondTheRangeOfADouble_IsRefused()
    {
        var act = () => Gro.Read(new StringReader("Protein t=   1.1e400 step= 500\n 1\n    1ALA     CA    1   1.000   2.000   3.000\n 1 1 1\n"));

        act.Should().Throw<InvalidDataException>().WithMessage("text, line 1: the time '1.1e400' in the title is beyond the range of a 64-bit float*");
    }
}
