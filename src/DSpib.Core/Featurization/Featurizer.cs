using DSpib.Data.IO;

namespace DSpib.Featurization;

/// <summary>
/// Descriptors computed from atom positions, batched over frames: distances, all pair distances of a selection,
/// angles, dihedrals as (sin, cos) and contacts through a switching function, each with its analytic gradient with
/// respect to the positions (for a bias on a learned collective variable).
/// </summary>
/// <remarks>
/// <para>
/// Positions are frames x atoms x 3 in nm (as <see cref="CoordinateTrajectory.ToArray"/> gives them) and atoms are
/// 0-based indices in that order. The output is frames x features, in the order the features were added. Distances are
/// in nm, angles in radians; a dihedral adds two features, sin(phi) and cos(phi), which are continuous where phi wraps
/// at +-180 degrees. The dihedral follows the IUPAC sign convention, as GROMACS, PLUMED and mdtraj do: looking along
/// the bond j-&gt;k, phi is the clockwise rotation of the bond i-j onto k-l.
/// </para>
/// <para>
/// Periodic boundaries: by default positions are used as they are, which is right when molecules are whole in the
/// file (GROMACS makes them whole when it writes them, unless asked otherwise). With
/// <see cref="FeaturizerBuilder.WithMinimumImage"/>, every vector between two atoms of a feature is wrapped to its
/// nearest periodic image in a rectangular box (edge lengths per frame), which is correct when each such vector is
/// shorter than half the box. Triclinic boxes are not supported by the minimum-image option.
/// </para>
/// <para>
/// The gradient of an angle is undefined for collinear atoms, and that of a dihedral when three consecutive atoms are
/// collinear; both give non-finite values there, as the features themselves have no derivative.
/// </para>
/// </remarks>
public sealed class Featurizer
{
    private readonly FeatureTerm[] _terms;
    private readonly string[] _names;

    internal Featurizer(FeatureTerm[] terms, bool minimumImage)
    {
        _terms = terms;
        _names = terms.SelectMany(t => t.Names).ToArray();
        MinimumImage = minimumImage;
        RequiredAtoms = terms.Length == 0 ? 0 : terms.Max(t => t.Atoms.Max()) + 1;
    }

    /// <summary>Starts a featurizer: add features, then <see cref="FeaturizerBuilder.Build"/>.</summary>
    public static FeaturizerBuilder Create() => new();

    /// <summary>The name of each output column, in order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Number of output columns.</summary>
    public int FeatureCount => _names.Length;

    /// <summary>Whether vectors between atoms are wrapped to the nearest periodic image.</summary>
    public bool MinimumImage { get; }

    /// <summary>The smallest atom count the positions must have (the largest atom index used plus one).</summary>
    public int RequiredAtoms { get; }

    /// <summary>The features of every frame.</summary>
    /// <param name="positions">Positions, frames x atoms x 3 (nm).</param>
    /// <param name="boxes">The rectangular box of each frame, frames x 3 edge lengths (nm); required with the minimum-image convention, ignored without it.</param>
    /// <returns>frames x <see cref="FeatureCount"/>.</returns>
    /// <exception cref="ArgumentException">Too few atoms, or boxes missing or of the wrong shape.</exception>
    public double[,] Compute(double[,,] positions, double[,]? boxes = null)
    {
        ArgumentNullException.ThrowIfNull(positions);
        CheckShape(positions.GetLength(1), positions.GetLength(2), nameof(positions));
        var frames = positions.GetLength(0);
        CheckBoxes(boxes, frames);
        var atoms = positions.GetLength(1);
        var flat = CoordinateArrays.AsSpan(positions);
        var result = new double[frames, FeatureCount];
        var output = Internal.ArrayViews.AsSpan(result);
        Span<double> box = stackalloc double[3];
        for (var f = 0; f < frames; f++)
        {
            var frameBox = FrameBox(boxes, f, box);
            Evaluate(flat.Slice(f * atoms * 3, atoms * 3), frameBox, output.Slice(f * FeatureCount, FeatureCount), []);
        }

        return result;
    }

    /// <summary>The features of every frame of a trajectory, with its boxes when the minimum-image convention is on.</summary>
    /// <param name="trajectory">Positions as read from a file.</param>
    public double[,] Compute(CoordinateTrajectory trajectory)
    {
        ArgumentNullException.ThrowIfNull(trajectory);
        return Compute(trajectory.ToArray(), MinimumImage ? trajectory.OrthorhombicBoxes() : null);
    }

    /// <summary>The features of one frame and their gradients with respect to its positions.</summary>
    /// <param name="frame">Positions of one frame, atoms x 3 (nm).</param>
    /// <param name="box">The frame's rectangular box edge lengths (nm), with the minimum-image convention.</param>
    /// <returns>The values (<see cref="FeatureCount"/>) and the gradient, features x atoms x 3: d feature / d position.</returns>
    public (double[] Values, double[,,] Gradient) ComputeWithGradient(double[,] frame, double[]? box = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        CheckShape(frame.GetLength(0), frame.GetLength(1), nameof(frame));
        if (MinimumImage && (box is null || box.Length != 3))
        {
            throw new ArgumentException("The minimum-image convention needs the frame's 3 box edge lengths.", nameof(box));
        }

        var atoms = frame.GetLength(0);
        var values = new double[FeatureCount];
        var gradient = new double[FeatureCount, atoms, 3];
        Evaluate(Internal.ArrayViews.AsReadOnlySpan(frame), MinimumImage ? box : null, values, CoordinateArrays.AsSpan(gradient));
        return (values, gradient);
    }

    private void Evaluate(ReadOnlySpan<double> positions, ReadOnlySpan<double> box, Span<double> values, Span<double> gradient)
    {
        var stride = positions.Length;
        var column = 0;
        foreach (var term in _terms)
        {
            var count = term.Names.Length;
            term.Evaluate(new Geometry(positions, box), values.Slice(column, count), gradient.IsEmpty ? [] : gradient.Slice(column * stride, count * stride));
            column += count;
        }
    }

    private ReadOnlySpan<double> FrameBox(double[,]? boxes, int frame, Span<double> box)
    {
        if (!MinimumImage || boxes is null)
        {
            return [];
        }

        for (var d = 0; d < 3; d++)
        {
            box[d] = boxes[frame, d];
        }

        return box;
    }

    private void CheckShape(int atoms, int dimensions, string argument)
    {
        if (dimensions != 3)
        {
            throw new ArgumentException($"Positions need 3 coordinates per atom; got {dimensions}.", argument);
        }

        if (atoms < RequiredAtoms)
        {
            throw new ArgumentException($"The features use atom index {RequiredAtoms - 1}, but the positions have {atoms} atoms.", argument);
        }
    }

    private void CheckBoxes(double[,]? boxes, int frames)
    {
        if (!MinimumImage)
        {
            return;
        }

        if (boxes is null || boxes.GetLength(0) != frames || boxes.GetLength(1) != 3)
        {
            throw new ArgumentException($"The minimum-image convention needs a frames x 3 matrix of box edge lengths ({frames} x 3).", nameof(boxes));
        }

        foreach (var length in boxes)
        {
            if (!(length > 0) || !double.IsFinite(length))
            {
                throw new ArgumentException($"Box edge lengths must be positive and finite; got {length}.", nameof(boxes));
            }
        }
    }
}
