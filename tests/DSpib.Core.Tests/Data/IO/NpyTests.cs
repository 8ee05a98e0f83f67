using DSpib.Data.IO;

namespace DSpib.Core.Tests.Data.IO;

public class NpyTests
{
    private static NpyArray ReadBytes(byte[] bytes) => Npy.Read(new MemoryStream(bytes));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Read_Float64Matrix_InEveryFormatVersion(int version)
    {
        var bytes = NpyFiles.Build(version, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", NpyFiles.Doubles(false, 1, 2, 3, 4, 5, 6.5));

        var array = ReadBytes(bytes);

        array.Shape.Should().Equal(2, 3);
        array.DataType.Should().Be(NpyDataType.Float64);
        array.ToMatrix().Should().BeEquivalentTo(new double[,] { { 1, 2, 3 }, { 4, 5, 6.5 } }, o => o.WithStrictOrdering());
        var copy = array.ToDoubleArray();
        copy.Should().Equal(1, 2, 3, 4, 5, 6.5);
        copy[0] = 99;
        array.ToDoubleArray()[0].Should().Be(1, "each call returns its own copy");
    }

    [Fact]
    public void Read_BigEndianFloat32()
    {
        var bytes = NpyFiles.Build(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }", NpyFiles.Singles(true, 1.5f, -2f, 1e-3f));

        var array = ReadBytes(bytes);

        array.DataType.Should().Be(NpyDataType.Float32);
        array.Values.ToArray().Should().Equal(1.5, -2.0, (double)1e-3f);
    }

    [Fact]
    public void Read_BigEndianInt32AndLittleEndianInt64()
    {
        ReadBytes(NpyFiles.Build(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (3,), }", NpyFiles.Int32s(true, 7, -1, 100_000)))
            .ToInt32Array().Should().Equal(7, -1, 100_000);
        var int64 = ReadBytes(NpyFiles.Build(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", NpyFiles.Int64s(3, 1L << 40)));
        int64.DataType.Should().Be(NpyDataType.Int64);
        int64.Values.ToArray().Should().Equal(3.0, 1099511627776.0);
    }

    [Fact]
    public void Read_FortranOrder_ReturnsRowMajorValues()
    {
        // The (2, 3) matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
        var bytes = NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", NpyFiles.Doubles(false, 1, 4, 2, 5, 3, 6));

        var array = ReadBytes(bytes);

        array.FortranOrder.Should().BeTrue();
        array.ToMatrix().Should().BeEquivalentTo(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Read_FortranOrder3D_ReturnsRowMajorValues()
    {
        // a[i, j, k] = 100 i + 10 j + k for shape (2, 2, 3), stored with i fastest, then j, then k.
        var fortran = new List<double>();
        for (var k = 0; k < 3; k++)
        {
            for (var j = 0; j < 2; j++)
            {
                for (var i = 0; i < 2; i++)
                {
                    fortran.Add((100 * i) + (10 * j) + k);
                }
            }
        }

        var array = ReadBytes(NpyFiles.Build(1, "{'fortran_order': True, 'descr': '<f8', 'shape': (2, 2, 3)}", NpyFiles.Doubles(false, [.. fortran])));

        var matrices = array.ToMatrices();
        matrices.Should().HaveCount(2);
        matrices[1][1, 2].Should().Be(112);
        matrices[0][1, 0].Should().Be(10);
        matrices[1][0, 1].Should().Be(101);
    }

    [Fact]
    public void Read_3DArray_SplitsIntoTrajectories_AndToMatrixExplainsWhy()
    {
        var bytes = NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 1), }", NpyFiles.Doubles(false, 1, 2, 3, 4));

        var array = ReadBytes(bytes);

        array.ToMatrices().Select(m => m[1, 0]).Should().Equal(2, 4);
        var act = () => array.ToMatrix();
        act.Should().Throw<InvalidOperationException>().WithMessage("*ToMatrices*");
    }

    [Fact]
    public void Read_1DArray_AsMatrix_IsOneColumn()
    {
        var matrix = ReadBytes(NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", NpyFiles.Doubles(false, 1, 2, 3))).ToMatrix();

        matrix.GetLength(0).Should().Be(3);
        matrix.GetLength(1).Should().Be(1);
        matrix[2, 0].Should().Be(3);
    }

    [Theory]
    [InlineData("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }", "*pickled*allow_pickle=False*")]
    [InlineData("{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }", "*unsupported dtype '<c16'*float32*")]
    [InlineData("{'descr': '<U10', 'fortran_order': False, 'shape': (2,), }", "*unsupported dtype '<U10'*")]
    [InlineData("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", "*unsupported dtype*")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)", "*malformed .npy header*")]
    [InlineData("{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,), }", "*malformed .npy header*Maybe*")]
    [InlineData("{'descr': '<f8', 'shape': (2,), }", "*no 'fortran_order'*")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (two,), }", "*malformed*not a non-negative integer*")]
    [InlineData("{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (2,), }", "*structured*")]
    public void Read_BadHeaders_AreRefusedWithAClearMessage(string header, string message)
    {
        var act = () => ReadBytes(NpyFiles.Build(1, header, new byte[64]));

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void Read_BadMagic_IsRefused()
    {
        var bytes = NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", NpyFiles.Doubles(false, 1));
        bytes[1] = (byte)'X';

        var act = () => ReadBytes(bytes);

        act.Should().Throw<InvalidDataException>().WithMessage("*not a NumPy .npy file*");
    }

    [Fact]
    public void Read_UnknownVersion_IsRefused()
    {
        var act = () => ReadBytes(NpyFiles.Build(1, "{}", []).Select((b, i) => i == 6 ? (byte)9 : b).ToArray());

        act.Should().Throw<InvalidDataException>().WithMessage("*version 9.0 is not supported*");
    }

    [Fact]
    public void Read_TruncatedData_SaysHowManyBytesAreMissing()
    {
        var act = () => ReadBytes(NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", NpyFiles.Doubles(false, 1, 2, 3)));

        act.Should().Throw<InvalidDataException>().WithMessage("*truncated*32 bytes*only 24*");
    }

    [Fact]
    public void Read_HeaderLongerThanTheFile_IsRefused()
    {
        var bytes = NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", []);
        bytes[8] = 0xFF;
        bytes[9] = 0x7F;

        var act = () => ReadBytes(bytes);

        act.Should().Throw<InvalidDataException>().WithMessage("*header*truncated*");
    }

    [Fact]
    public void ReadMatrixAndReadLabels_AFileOfAnotherShapeOrType_IsInvalidDataNamingTheFile()
    {
        using var folder = new TemporaryFolder();
        var cube = folder.File("cube.npy");
        var fractions = folder.File("fractions.npy");
        File.WriteAllBytes(cube, NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 1, 1), }", NpyFiles.Doubles(false, 1, 2)));
        File.WriteAllBytes(fractions, NpyFiles.Build(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", NpyFiles.Doubles(false, 1, 2.5)));

        FluentActions.Invoking(() => Npy.ReadMatrix(cube)).Should().Throw<InvalidDataException>().WithMessage($"{cube}:*ToMatrices*");
        FluentActions.Invoking(() => Npy.ReadLabels(fractions)).Should().Throw<InvalidDataException>().WithMessage($"{fractions}:*Element 1 is 2.5*");
    }

    [Fact]
    public void Write_ThenRead_RoundTripsEveryOverload()
    {
        using var folder = new TemporaryFolder();
        var matrix = new double[,] { { 1.25, -2 }, { double.Epsilon, 1e300 }, { 0, 7 } };
        Npy.Write(folder.File("d.npy"), matrix);
        Npy.Write(folder.File("f.npy"), new float[,] { { 1.5f, 2f } });
        Npy.Write(folder.File("v.npy"), new[] { 0.1, 0.2 });
        Npy.Write(folder.File("i.npy"), new[] { 3, -4 });
        Npy.Write(folder.File("l.npy"), new[] { 5L, 1L << 50 });

        Npy.ReadMatrix(folder.File("d.npy")).Should().BeEquivalentTo(matrix, o => o.WithStrictOrdering());
        Npy.Read(folder.File("f.npy")).DataType.Should().Be(NpyDataType.Float32);
        Npy.ReadMatrix(folder.File("f.npy"))[0, 0].Should().Be(1.5);
        Npy.Read(folder.File("v.npy")).Values.ToArray().Should().Equal(0.1, 0.2);
        Npy.ReadLabels(folder.File("i.npy")).Should().Equal(3, -4);
        Npy.Read(folder.File("l.npy")).Values.ToArray().Should().Equal(5, 1L << 50);
    }

    [Fact]
    public void Write_ProducesNumPysLayout()
    {
        var stream = new MemoryStream();
        Npy.Write(stream, new double[,] { { 1, 2 } });
        var bytes = stream.ToArray();

        // Magic, version 1.0, and data aligned to 64 bytes after a newline-terminated, space-padded header.
        bytes.Take(8).Should().Equal(0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0);
        var headerLength = bytes[8] | (bytes[9] << 8);
        ((10 + headerLength) % 64).Should().Be(0);
        bytes[10 + headerLength - 1].Should().Be((byte)'\n');
        System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength).Should().StartWith("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }");
        bytes.Length.Should().Be(10 + headerLength + 16);
    }

    [Fact]
    public void Write_OverAnExistingFile_ReplacesItAndLeavesNoTemporaryFiles()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("a.npy");
        Npy.Write(path, new[] { 1.0, 2.0, 3.0 });

        Npy.Write(path, new[] { 9.0 });

        Npy.Read(path).Values.ToArray().Should().Equal(9.0);
        Directory.GetFiles(folder.Path).Should().ContainSingle();
    }

    [Fact]
    public void Write_IntoAMissingFolder_ThrowsAndCreatesNothing()
    {
        using var folder = new TemporaryFolder();

        var act = () => Npy.Write(Path.Combine(folder.Path, "missing", "a.npy"), new[] { 1.0 });

        act.Should().Throw<DirectoryNotFoundException>().WithMessage("*does not exist*");
        Directory.GetFileSystemEntries(folder.Path).Should().BeEmpty();
    }

    [Fact]
    public void Write_ThatFailsMidway_KeepsThePreviousFile()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("a.npy");
        Npy.Write(path, new[] { 1.0, 2.0 });
        var before = File.ReadAllBytes(path);

        // Half of a new file is written, then the disk "fills up".
        var act = () => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100]);
            throw new IOException("No space left on device");
        });

        act.Should().Throw<IOException>().WithMessage("No space left on device");
        File.ReadAllBytes(path).Should().Equal(before);
        Directory.GetFiles(folder.Path).Should().ContainSingle("the temporary file must be removed");
    }
}
