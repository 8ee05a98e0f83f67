using System.Globalization;

namespace DSpib.Data.IO;

/// <summary>
/// Reads GROMACS <c>.gro</c> coordinate files, with one or many frames.
/// </summary>
/// <remarks>
/// Follows the format as the GROMACS reference manual ("File formats: gro") describes it. Each frame is a title line
/// (GROMACS writes <c>t= time step= step</c> into it; both are read when present), the number of atoms, one line per
/// atom and a box line. An atom line has fixed columns: residue number (5 characters), residue name (5), atom name
/// (5), atom number (5), then x, y, z in nm and optionally the velocities in nm/ps. Like GROMACS, the reader takes the
/// width of the number fields from the distance between the decimal points of the first atom line (8 characters with
/// 3 decimals as GROMACS writes them); velocities have the same width. The box line holds 3 numbers (a rectangular
/// box) or 9: v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y). All frames must have the same atoms. A number
/// beyond the range of a 64-bit float (<c>1e400</c>), in a field or as the title's time, is refused rather than read
/// as an infinity; <c>NaN</c> and <c>Infinity</c> written out are read as such.
/// </remarks>
public static class Gro
{
    private const int NumbersStart = 20;

    /// <summary>Reads a <c>.gro</c> file.</summary>
    /// <param name="path">Path of the file.</param>
    /// <exception cref="InvalidDataException">A missing or bad atom count, a short or unreadable atom line, a bad box line, a number beyond the range of a 64-bit float, a frame with other atoms or a truncated file; the message names the file and line.</exception>
    public static GroFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads <c>.gro</c> text from a reader.</summary>
    /// <param name="reader">The text.</param>
    /// <inheritdoc cref="Read(string)" path="/exception" />
    public static GroFile Read(TextReader reader) => Read(reader, "text");

    private static GroFile Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var lineNumber = 0;
        string? NextLine()
        {
            var line = reader.ReadLine();
            if (line is not null)
            {
                lineNumber++;
            }

            return line;
        }

        var titles = new List<string>();
        var velocities = new List<double>();
        GroAtom[]? atoms = null;
        CoordinateTrajectoryBuilder? frames = null;
        bool? hasVelocities = null;
        while (NextLine() is { } title)
        {
            if (title.Trim().Length == 0 && reader.Peek() < 0)
            {
                break;
            }

            var titleLine = lineNumber;

            var countLine = NextLine() ?? throw Truncated(source, lineNumber, "the atom count");
            if (!int.TryParse(countLine.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var atomCount) || atomCount < 0)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: '{Shorten(countLine)}' is not an atom count (a .gro frame starts with a title line and the number of atoms).");
            }

            if (frames is not null && atomCount != frames.AtomCount)
            {
                throw new InvalidDataException($"{source}, line {lineNumber}: frame {frames.FrameCount} has {atomCount} atoms, the first frame {frames.AtomCount}; all frames must have the same atoms.");
            }

            frames ??= new CoordinateTrajectoryBuilder(atomCount);
            var frameAtoms = new List<GroAtom>();
            var positions = new List<double>();
            var frameVelocities = new List<double>();
            var decimals = 3;
            for (var a = 0; a < atomCount; a++)
            {
                var line = NextLine() ?? throw Truncated(source, lineNumber, $"atom {a + 1} of {atomCount}");
                var (atom, width, digits) = ParseAtomLine(line, source, lineNumber, positions, frameVelocities);
                decimals = digits;
                if (atoms is null)
                {
                    frameAtoms.Add(atom);
                }
                else if (atoms[a] != atom)
                {
                    throw new InvalidDataException($"{source}, line {lineNumber}: atom {a + 1} of frame {frames.FrameCount} is {atom}, in the first frame {atoms[a]}; all frames must have the same atoms.");
                }

                var withVelocities = line.TrimEnd().Length > NumbersStart + (3 * width);
                hasVelocities ??= withVelocities;
                if (hasVelocities != withVelocities)
                {
                    throw new InvalidDataException($"{source}, line {lineNumber}: velocities are given for some atoms and not for others.");
                }
            }

            var boxLine = NextLine() ?? throw Truncated(source, lineNumber, "the box line");
            var box = ParseBox(boxLine, source, lineNumber);
            atoms ??= [.. frameAtoms];
            titles.Add(title);
            velocities.AddRange(frameVelocities);
            var (time, step) = ParseTitle(title, source, titleLine);
            frames.Add(positions.ToArray(), time, step, box, Math.Pow(10, decimals));
        }

        if (frames is null || atoms is null)
        {
            throw new InvalidDataException($"{source} is empty; a .gro file starts with a title line and the number of atoms.");
        }

        return new GroFile(titles.ToArray(), atoms, frames.Build(), hasVelocities == true ? velocities.ToArray() : null);
    }

    private static (GroAtom Atom, int Width, int Decimals) ParseAtomLine(string line, string source, int lineNumber, List<double> positions, List<double> velocities)
    {
        // The field width is the distance between the first two decimal points after the fixed columns.
        var first = line.Length > NumbersStart ? line.IndexOf('.', NumbersStart) : -1;
        var second = first >= 0 ? line.IndexOf('.', first + 1) : -1;
        var width = second - first;
        if (first < 0 || second < 0 || width < 2 || NumbersStart + (3 * width) > line.Length + 1)
        {
            throw new InvalidDataException($"{source}, line {lineNumber}: '{Shorten(line)}' is not a .gro atom line (20 columns of residue and atom, then x, y, z in fixed-width fields).");
        }

        var residueNumber = ParseInteger(line.AsSpan(0, 5), source, lineNumber, "residue number");
        var atomNumber = ParseInteger(line.AsSpan(15, 5), source, lineNumber, "atom number");
        var atom = new GroAtom(residueNumber, line.Substring(5, 5).Trim(), line.Substring(10, 5).Trim(), atomNumber);
        for (var d = 0; d < 3; d++)
        {
            positions.Add(ParseField(line, NumbersStart + (d * width), width, source, lineNumber));
        }

        var velocityStart = NumbersStart + (3 * width);
        if (line.TrimEnd().Length > velocityStart)
        {
            for (var d = 0; d < 3; d++)
            {
                velocities.Add(ParseField(line, velocityStart + (d * width), width, source, lineNumber));
            }
        }

        var decimals = 0;
        while (first + 1 + decimals < line.Length && char.IsAsciiDigit(line[first + 1 + decimals]))
        {
            decimals++;
        }

        return (atom, width, decimals);
    }

    private static double ParseField(string line, int start, int width, string source, int lineNumber)
    {
        var end = Math.Min(line.Length, start + width);
        var text = start < end ? line.AsSpan(start, end - start).Trim() : [];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new InvalidDataException($"{source}, line {lineNumber}, columns {start + 1}-{start + width}: '{text}' is not a number.");
        }

        return !Overflowed(value, text)
            ? value
            : throw new InvalidDataException($"{source}, line {lineNumber}, columns {start + 1}-{start + width}: '{text}' is beyond the range of a 64-bit float (about ±1.8e308).");
    }

    private static int ParseInteger(ReadOnlySpan<char> text, string source, int lineNumber, string what)
    {
        var trimmed = text.Trim();
        return int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"{source}, line {lineNumber}: the {what} '{trimmed}' is not a whole number.");
    }

    private static double[] ParseBox(string line, string source, int lineNumber)
    {
        var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length is not (3 or 9))
        {
            throw new InvalidDataException($"{source}, line {lineNumber}: '{Shorten(line)}' is not a box line (3 or 9 numbers); the atom count above it may be wrong.");
        }

        var v = words.Select((w, j) => TableColumns.ParseNumber(w, source, lineNumber, j)).ToArray();
        // Rows are the box vectors: a = (v1x, v1y, v1z), b = (v2x, v2y, v2z), c = (v3x, v3y, v3z).
        return words.Length == 3
            ? [v[0], 0, 0, 0, v[1], 0, 0, 0, v[2]]
            : [v[0], v[3], v[4], v[5], v[1], v[6], v[7], v[8], v[2]];
    }

    /// <summary>Whether a parsed number is an infinity that its digits overflowed into (<c>Infinity</c> written out has none).</summary>
    private static bool Overflowed(double value, ReadOnlySpan<char> text) => double.IsInfinity(value) && text.ContainsAnyInRange('0', '9');

    private static (double Time, long Step) ParseTitle(string title, string source, int lineNumber)
    {
        var words = title.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var time = double.NaN;
        var step = -1L;
        for (var i = 0; i + 1 < words.Length; i++)
        {
            if (words[i] == "t=" && double.TryParse(words[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
            {
                time = !Overflowed(t, words[i + 1])
                    ? t
                    : throw new InvalidDataException($"{source}, line {lineNumber}: the time '{words[i + 1]}' in the title is beyond the range of a 64-bit float (about ±1.8e308).");
            }
            else if (words[i] == "step=" && long.TryParse(words[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
            {
                step = s;
            }
        }

        return (time, step);
    }

    private static InvalidDataException Truncated(string source, int lineNumber, string what) =>
        new($"{source} is truncated: it ends after line {lineNumber}, before {what}.");

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "...";
}

/// <summary>One atom of a <c>.gro</c> file.</summary>
/// <param name="ResidueNumber">Residue number as written (GROMACS wraps it at 100000).</param>
/// <param name="ResidueName">Residue name, for example <c>ALA</c>.</param>
/// <param name="AtomName">Atom name, for example <c>CA</c>.</param>
/// <param name="AtomNumber">Atom number as written (GROMACS wraps it at 100000).</param>
public readonly record struct GroAtom(int ResidueNumber, string ResidueName, string AtomName, int AtomNumber)
{
    /// <summary>Whether the atom is a hydrogen: its name, after any leading digits, starts with H.</summary>
    public bool IsHydrogen => AtomName.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9').StartsWith('H');
}

/// <summary>The contents of a <c>.gro</c> file: titles, atoms, positions and, when present, velocities.</summary>
public sealed class GroFile
{
    private readonly string[] _titles;
    private readonly GroAtom[] _atoms;
    private readonly double[]? _velocities;

    internal GroFile(string[] titles, GroAtom[] atoms, CoordinateTrajectory trajectory, double[]? velocities)
    {
        _titles = titles;
        _atoms = atoms;
        _velocities = velocities;
        Trajectory = trajectory;
    }

    /// <summary>The title line of each frame.</summary>
    public IReadOnlyList<string> Titles => _titles;

    /// <summary>The atoms, in file order.</summary>
    public IReadOnlyList<GroAtom> Atoms => _atoms;

    /// <summary>Positions, times (from <c>t=</c> in the titles), steps and boxes of all frames.</summary>
    public CoordinateTrajectory Trajectory { get; }

    /// <summary>Whether the file gives velocities.</summary>
    public bool HasVelocities => _velocities is not null;

    /// <summary>The velocities of one frame as an atoms x 3 matrix in nm/ps.</summary>
    /// <param name="frame">Frame index.</param>
    /// <exception cref="InvalidOperationException">The file has no velocities.</exception>
    public double[,] Velocities(int frame)
    {
        if (_velocities is null)
        {
            throw new InvalidOperationException("The file has no velocities.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, Trajectory.FrameCount);
        var count = _atoms.Length;
        var result = new double[count, 3];
        _velocities.AsSpan(frame * count * 3, count * 3).CopyTo(Internal.ArrayViews.AsSpan(result));
        return result;
    }

    /// <summary>The indices (0-based, file order) of the atoms that satisfy <paramref name="predicate"/>.</summary>
    /// <param name="predicate">Which atoms, for example <c>a =&gt; !a.IsHydrogen</c> for the heavy atoms.</param>
    public int[] AtomIndices(Func<GroAtom, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Enumerable.Range(0, _atoms.Length).Where(i => predicate(_atoms[i])).ToArray();
    }
}
