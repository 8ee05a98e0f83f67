using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using DSpib.Core.Tests.Data.IO.Gromacs;
using DSpib.Data.IO;

namespace DSpib.Core.Tests.Fuzzing;

/// <summary>
/// Fuzz targets for the GROMACS readers, seeded with the files GROMACS wrote for the tests. A read is correct when it
/// holds what the input holds: for .xvg and .gro every row or atom line, every value the number its field spells
/// (finite, or NaN or an infinity written as such); for .xtc every frame's header as stored, and every compressed
/// position on the frame's integer grid inside the range the frame declares.
/// </summary>
internal static class GromacsFuzzTargets
{
    private const int XtcMagic = 1995;

    /// <summary>.xvg through <see cref="Xvg.Read(TextReader)"/>, fed the mutated bytes as UTF-8.</summary>
    public static FuzzTarget Xvg() => new()
    {
        Name = ".xvg",
        Seeds = Fixtures("energy.xvg", "dihedrals.xvg", "distances.xvg"),
        DocumentedException = typeof(InvalidDataException),
        ReadAndCheck = (bytes, _) =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            CheckXvg(text, DSpib.Data.IO.Xvg.Read(new StringReader(text)));
        },

        // As for CSV: a line is split into strings and parsed into a row of doubles kept in a list, then copied into
        // the matrix; 32 bytes per input character and a fixed 256 KiB.
        AllocationBudget = length => (256L << 10) + (32L * length),
    };

    /// <summary>.gro through <see cref="Gro.Read(TextReader)"/>, fed the mutated bytes as UTF-8.</summary>
    public static FuzzTarget Gro() => new()
    {
        Name = ".gro",
        Seeds = Fixtures("ala2-vacuum.gro", "ala2-water.gro", "ala2-first9.gro", "ala2-far.gro"),
        DocumentedException = typeof(InvalidDataException),
        ReadAndCheck = (bytes, _) =>
        {
            var text = Encoding.UTF8.GetString(bytes);
            CheckGro(text, DSpib.Data.IO.Gro.Read(new StringReader(text)));
        },

        // Each atom line (about 45 characters) becomes a line string, names and 3 or 6 doubles held in lists that
        // grow by doubling and are copied into arrays: 32 bytes per input character and a fixed 256 KiB.
        AllocationBudget = length => (256L << 10) + (32L * length),
    };

    /// <summary>.xtc through <see cref="Xtc.Read(Stream)"/>, with the frames' XDR counts, ranges and sizes as size fields.</summary>
    public static FuzzTarget Xtc() => new()
    {
        Name = ".xtc",
        Seeds = Fixtures("ala2-vacuum.xtc", "ala2-vacuum-ndec2.xtc", "ala2-water.xtc", "ala2-first9.xtc", "ala2-far-ndec6.xtc"),
        DocumentedException = typeof(InvalidDataException),
        SizeFields = XtcSizeFields,
        BigEndianSizeFields = true,
        ReadAndCheck = (bytes, _) => CheckXtc(bytes, DSpib.Data.IO.Xtc.Read(new MemoryStream(bytes))),

        // The stream is copied (about 3 bytes per byte); a frame may claim up to 8 atoms per remaining byte (one bit
        // each) before its bits are read, 24 bytes of positions each, held in an array, a list that grows by doubling
        // and the result: 1 MiB + 1 KiB per input byte.
        AllocationBudget = length => (1L << 20) + (1024L * length),
    };

    private static List<byte[]> Fixtures(params string[] names) => names.Select(GromacsFixtures.Bytes).ToList();

    private static void CheckXvg(string text, XvgTable table)
    {
        var rows = new List<string[]>();
        var setEnded = false;
        foreach (var line in Lines(text))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or '@')
            {
                continue;
            }

            if (trimmed == "&")
            {
                setEnded = rows.Count > 0;
                continue;
            }

            if (setEnded)
            {
                throw new IncorrectReadException("a second data set after '&' was read.");
            }

            rows.Add(trimmed.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }

        var matrix = table.ToMatrix();
        if (rows.Count != table.RowCount || matrix.GetLength(0) != rows.Count)
        {
            throw new IncorrectReadException($"{rows.Count} data lines became {table.RowCount} rows.");
        }

        var columns = rows[0].Length;
        if (matrix.GetLength(1) != columns || table.ColumnNames.Count != columns)
        {
            throw new IncorrectReadException($"the first row has {columns} values, the table {matrix.GetLength(1)} columns and {table.ColumnNames.Count} names.");
        }

        for (var n = 0; n < rows.Count; n++)
        {
            if (rows[n].Length != columns)
            {
                throw new IncorrectReadException($"row {n} has {rows[n].Length} values for {columns} columns.");
            }

            for (var j = 0; j < columns; j++)
            {
                var expected = Number(rows[n][j]) ?? throw new IncorrectReadException($"row {n}, value {j + 1} '{rows[n][j]}' is not a number in range, yet was read as {matrix[n, j]}.");
                Same(expected, matrix[n, j], $"row {n}, value {j + 1} '{rows[n][j]}'");
            }
        }
    }

    private static void CheckGro(string text, GroFile gro)
    {
        var lines = Lines(text);

        // A last line of white space after the frames ends the file.
        if (lines.Count > 0 && lines[^1].Trim().Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var trajectory = gro.Trajectory;
        var atoms = trajectory.AtomCount;
        if (lines.Count != trajectory.FrameCount * (atoms + 3) || trajectory.FrameCount == 0)
        {
            throw new IncorrectReadException($"{lines.Count} lines were read as {trajectory.FrameCount} frames of {atoms} atoms.");
        }

        for (var f = 0; f < trajectory.FrameCount; f++)
        {
            var first = f * (atoms + 3);
            if (gro.Titles[f] != lines[first] || !int.TryParse(lines[first + 1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count != atoms)
            {
                throw new IncorrectReadException($"frame {f} does not start with its title and its atom count {atoms}.");
            }

            var (time, step) = TitleTimeAndStep(lines[first]);
            Same(time, trajectory.Times[f], $"the time of frame {f}");
            if (trajectory.Steps[f] != step)
            {
                throw new IncorrectReadException($"the step of frame {f} was read as {trajectory.Steps[f]}, the title gives {step}.");
            }

            if (!double.IsFinite(trajectory.Precisions[f]) || trajectory.Precisions[f] < 1)
            {
                throw new IncorrectReadException($"the precision of frame {f} was read as {trajectory.Precisions[f]}.");
            }

            var positions = trajectory.Frame(f);
            var velocities = gro.HasVelocities ? gro.Velocities(f) : null;
            for (var a = 0; a < atoms; a++)
            {
                CheckAtomLine(lines[first + 2 + a], gro.Atoms[a], a, positions, velocities);
            }

            var words = lines[first + 2 + atoms].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var box = trajectory.Box(f);
            double[] expectedBox = words.Length switch
            {
                3 => [Number(words[0]) ?? double.NegativeZero, 0, 0, 0, Number(words[1]) ?? double.NegativeZero, 0, 0, 0, Number(words[2]) ?? double.NegativeZero],
                9 => [.. new[] { 0, 3, 4, 5, 1, 6, 7, 8, 2 }.Select(i => Number(words[i]) ?? double.NegativeZero)],
                _ => throw new IncorrectReadException($"the box line of frame {f} has {words.Length} numbers, not 3 or 9."),
            };
            if (words.Any(w => Number(w) is null))
            {
                throw new IncorrectReadException($"the box line of frame {f} '{lines[first + 2 + atoms]}' has a value that is not a number in range.");
            }

            for (var i = 0; i < 9; i++)
            {
                Same(expectedBox[i], box[i / 3, i % 3], $"box element {i} of frame {f}");
            }
        }
    }

    /// <summary>An atom line against its reading: fixed columns, numbers as wide as the distance between the first two decimal points.</summary>
    private static void CheckAtomLine(string line, GroAtom atom, int a, double[,] positions, double[,]? velocities)
    {
        var firstPoint = line.Length > 20 ? line.IndexOf('.', 20) : -1;
        var width = firstPoint < 0 ? -1 : line.IndexOf('.', firstPoint + 1) - firstPoint;
        if (width < 2 || !int.TryParse(line.AsSpan(0, 5).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var residue)
            || !int.TryParse(line.AsSpan(15, 5).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            throw new IncorrectReadException($"the line '{line}' of atom {a} is not an atom line, yet was read.");
        }

        if (atom.ResidueNumber != residue || atom.AtomNumber != number || atom.ResidueName != line.Substring(5, 5).Trim() || atom.AtomName != line.Substring(10, 5).Trim())
        {
            throw new IncorrectReadException($"atom {a} was read as {atom} from '{line}'.");
        }

        var withVelocities = line.TrimEnd().Length > 20 + (3 * width);
        if (withVelocities != (velocities is not null))
        {
            throw new IncorrectReadException($"atom {a} '{line}' {(withVelocities ? "has" : "has no")} velocities; the file was read {(withVelocities ? "without" : "with")}.");
        }

        for (var k = 0; k < (withVelocities ? 6 : 3); k++)
        {
            var start = 20 + (k * width);
            var field = start < line.Length ? line.Substring(start, Math.Min(width, line.Length - start)).Trim() : "";
            var read = k < 3 ? positions[a, k] : velocities![a, k - 3];
            var expected = Number(field) ?? throw new IncorrectReadException($"atom {a}, field {k + 1} '{field}' is not a number in range, yet was read as {read}.");
            Same(expected, read, $"atom {a}, field {k + 1} '{field}'");
        }
    }

    /// <summary>The time and step a title gives (<c>t= 1.0 step= 500</c>); NaN and -1 where it does not.</summary>
    private static (double Time, long Step) TitleTimeAndStep(string title)
    {
        var words = title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var (time, step) = (double.NaN, -1L);
        for (var i = 0; i + 1 < words.Length; i++)
        {
            if (words[i] == "t=" && double.TryParse(words[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
            {
                time = Number(words[i + 1]) ?? throw new IncorrectReadException($"the title '{title}' gives a time beyond the range of a double, yet was read.");
            }
            else if (words[i] == "step=" && long.TryParse(words[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
            {
                step = s;
            }
        }

        return (time, step);
    }

    /// <summary>
    /// The frames of an .xtc file as the format lays them out: the header and box, and for more than 9 atoms the
    /// precision, the integer range and the compressed block. Every frame read must be there, with the header as
    /// stored; plain positions (at most 9 atoms) as stored; compressed positions finite, on the frame's grid and inside
    /// its range.
    /// </summary>
    private static void CheckXtc(byte[] bytes, CoordinateTrajectory trajectory)
    {
        var frames = XtcFrames(bytes) ?? throw new IncorrectReadException($"the file was read as {trajectory.FrameCount} frames, but its frames are not laid out as the format says.");
        if (frames.Count != trajectory.FrameCount || frames.Count == 0 || frames.Any(f => f.Atoms != trajectory.AtomCount))
        {
            throw new IncorrectReadException($"{frames.Count} frames of {string.Join("/", frames.Select(f => f.Atoms).Distinct())} atoms were read as {trajectory.FrameCount} frames of {trajectory.AtomCount}.");
        }

        for (var f = 0; f < frames.Count; f++)
        {
            var frame = frames[f];
            var at = frame.Offset;
            Same(Float(bytes, at + 12), trajectory.Times[f], $"the time of frame {f}");
            if (trajectory.Steps[f] != Int(bytes, at + 8))
            {
                throw new IncorrectReadException($"the step of frame {f} was read as {trajectory.Steps[f]}.");
            }

            var box = trajectory.Box(f);
            for (var i = 0; i < 9; i++)
            {
                Same(Float(bytes, at + 16 + (4 * i)), box[i / 3, i % 3], $"box element {i} of frame {f}");
            }

            var positions = trajectory.Frame(f);
            if (frame.Atoms <= 9)
            {
                Same(0, trajectory.Precisions[f], $"the precision of frame {f}");
                for (var i = 0; i < 3 * frame.Atoms; i++)
                {
                    Same(Float(bytes, at + 56 + (4 * i)), positions[i / 3, i % 3], $"position {i} of frame {f}");
                }

                continue;
            }

            var precision = BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(at + 56));
            Same(precision, trajectory.Precisions[f], $"the precision of frame {f}");
            var inverse = 1f / precision;
            for (var d = 0; d < 3; d++)
            {
                var minimum = Int(bytes, at + 60 + (4 * d));
                var maximum = Int(bytes, at + 72 + (4 * d));
                var (lowest, highest) = ((double)(minimum * inverse), (double)(maximum * inverse));
                for (var a = 0; a < frame.Atoms; a++)
                {
                    var x = positions[a, d];
                    if (!double.IsFinite(x) || x < lowest || x > highest || (double)(float)x != x)
                    {
                        throw new IncorrectReadException($"atom {a} of frame {f} was read at {x} nm in dimension {d}, outside the frame's range {minimum}..{maximum} / {precision} ({lowest}..{highest} nm) or not a float.");
                    }
                }
            }
        }
    }

    private sealed record XtcFrame(int Offset, int Atoms);

    /// <summary>The frames of an .xtc file, or <see langword="null"/> when it is not a sequence of well-formed frames.</summary>
    private static List<XtcFrame>? XtcFrames(byte[] bytes)
    {
        var frames = new List<XtcFrame>();
        var at = 0;
        while (at < bytes.Length)
        {
            if (bytes.Length - at < 56 || Int(bytes, at) != XtcMagic)
            {
                return null;
            }

            var atoms = Int(bytes, at + 4);
            if (atoms < 0 || Int(bytes, at + 52) != atoms)
            {
                return null;
            }

            if (atoms <= 9)
            {
                if (bytes.Length - at - 56 < 12L * atoms)
                {
                    return null;
                }

                frames.Add(new XtcFrame(at, atoms));
                at += 56 + (12 * atoms);
                continue;
            }

            if (bytes.Length - at < 92)
            {
                return null;
            }

            var byteCount = Int(bytes, at + 88);
            if (byteCount < 0 || byteCount > bytes.Length - at - 92)
            {
                return null;
            }

            frames.Add(new XtcFrame(at, atoms));

            // The block is padded to a multiple of 4 bytes (the padding of the last frame may be cut off).
            at = (int)Math.Min(bytes.Length, at + 92L + ((byteCount + 3L) / 4 * 4));
        }

        return frames;
    }

    /// <summary>The XDR integers of each frame that count or bound something: atom counts, the range, the small-difference index and the byte count.</summary>
    private static List<(int Offset, int Width)> XtcSizeFields(byte[] bytes)
    {
        var fields = new List<(int Offset, int Width)>();
        var at = 0;
        while (bytes.Length - at >= 92 && Int(bytes, at) == XtcMagic)
        {
            var atoms = Int(bytes, at + 4);
            fields.Add((at + 4, 4));
            fields.Add((at + 52, 4));
            if (atoms is >= 0 and <= 9)
            {
                at += 56 + (12 * atoms);
                continue;
            }

            for (var offset = 60; offset <= 88; offset += 4)
            {
                fields.Add((at + offset, 4));
            }

            var byteCount = Int(bytes, at + 88);
            if (byteCount < 0)
            {
                break;
            }

            at += 92 + ((byteCount + 3) / 4 * 4);
        }

        return fields;
    }

    private static int Int(byte[] bytes, int offset) => BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));

    private static double Float(byte[] bytes, int offset) => BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(offset));

    /// <summary>Lines as <see cref="TextReader.ReadLine"/> splits them.</summary>
    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        using var reader = new StringReader(text);
        while (reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>Two values the same bit for bit, or both NaN.</summary>
    private static void Same(double expected, double read, string what)
    {
        if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(read) && !(double.IsNaN(expected) && double.IsNaN(read)))
        {
            throw new IncorrectReadException($"{what} was read as {read.ToString("R", CultureInfo.InvariantCulture)}, the file holds {expected.ToString("R", CultureInfo.InvariantCulture)}.");
        }
    }

    /// <summary>The value a field spells, as for the CSV reader: a finite number, or NaN or an infinity written out; otherwise <see langword="null"/>.</summary>
    private static double? Number(string field) => TextFuzzTargets.Number(field);
}
