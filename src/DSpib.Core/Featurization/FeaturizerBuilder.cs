using System.Globalization;

namespace DSpib.Featurization;

/// <summary>Collects the features of a <see cref="Featurizer"/>, in output order. Atoms are 0-based indices.</summary>
public sealed class FeaturizerBuilder
{
    private readonly List<Func<Func<int, string>, FeatureTerm>> _terms = [];
    private IReadOnlyList<string>? _labels;
    private bool _minimumImage;

    internal FeaturizerBuilder()
    {
    }

    /// <summary>
    /// Names atoms in the feature names (for example <c>CA</c> or <c>ALA2:CA</c>) instead of their indices; the
    /// default names are like <c>dist(4,8)</c>.
    /// </summary>
    /// <param name="labels">One label per atom index used.</param>
    public FeaturizerBuilder WithAtomLabels(IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = labels;
        return this;
    }

    /// <summary>Wraps every vector between two atoms to its nearest periodic image in a rectangular box (see <see cref="Featurizer"/>).</summary>
    public FeaturizerBuilder WithMinimumImage()
    {
        _minimumImage = true;
        return this;
    }

    /// <summary>Adds the distance between two atoms (nm).</summary>
    /// <param name="i">First atom.</param>
    /// <param name="j">Second atom.</param>
    /// <param name="name">Column name; <c>dist(i,j)</c> by default.</param>
    public FeaturizerBuilder AddDistance(int i, int j, string? name = null)
    {
        CheckAtoms(i, j);
        _terms.Add(label => new DistanceTerm(i, j, name ?? $"dist({label(i)},{label(j)})", null));
        return this;
    }

    /// <summary>Adds the distances of all pairs of the given atoms, (a0,a1), (a0,a2), ..., (a1,a2), ...: n(n-1)/2 columns.</summary>
    /// <param name="atoms">The atoms, for example the heavy atoms (<c>gro.AtomIndices(a =&gt; !a.IsHydrogen)</c>).</param>
    public FeaturizerBuilder AddAllPairDistances(IReadOnlyList<int> atoms)
    {
        foreach (var (i, j) in Pairs(atoms))
        {
            AddDistance(i, j);
        }

        return this;
    }

    /// <summary>Adds the angle i-j-k at atom j (radians, 0 to pi).</summary>
    /// <param name="i">First atom.</param>
    /// <param name="j">The vertex.</param>
    /// <param name="k">Third atom.</param>
    /// <param name="name">Column name; <c>angle(i,j,k)</c> by default.</param>
    public FeaturizerBuilder AddAngle(int i, int j, int k, string? name = null)
    {
        CheckAtoms(i, j, k);
        _terms.Add(label => new AngleTerm(i, j, k, name ?? $"angle({label(i)},{label(j)},{label(k)})"));
        return this;
    }

    /// <summary>Adds the dihedral i-j-k-l as two columns, <c>sin(name)</c> and <c>cos(name)</c>.</summary>
    /// <param name="i">First atom.</param>
    /// <param name="j">Second atom.</param>
    /// <param name="k">Third atom.</param>
    /// <param name="l">Fourth atom.</param>
    /// <param name="name">The dihedral's name, for example <c>phi</c>; <c>dihedral(i,j,k,l)</c> by default.</param>
    public FeaturizerBuilder AddDihedral(int i, int j, int k, int l, string? name = null)
    {
        CheckAtoms(i, j, k, l);
        _terms.Add(label => new DihedralTerm(i, j, k, l, name ?? $"dihedral({label(i)},{label(j)},{label(k)},{label(l)})"));
        return this;
    }

    /// <summary>Adds a contact: the switching function of the distance between two atoms.</summary>
    /// <param name="i">First atom.</param>
    /// <param name="j">Second atom.</param>
    /// <param name="switching">The switching function, for example <c>new RationalSwitchingFunction(r0: 0.5)</c>.</param>
    /// <param name="name">Column name; <c>contact(i,j)</c> by default.</param>
    public FeaturizerBuilder AddContact(int i, int j, RationalSwitchingFunction switching, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(switching);
        CheckAtoms(i, j);
        _terms.Add(label => new DistanceTerm(i, j, name ?? $"contact({label(i)},{label(j)})", switching));
        return this;
    }

    /// <summary>Adds the contact map of the given atoms: one contact per pair, in the order of <see cref="AddAllPairDistances"/>.</summary>
    /// <param name="atoms">The atoms.</param>
    /// <param name="switching">The switching function.</param>
    public FeaturizerBuilder AddContactMap(IReadOnlyList<int> atoms, RationalSwitchingFunction switching)
    {
        ArgumentNullException.ThrowIfNull(switching);
        foreach (var (i, j) in Pairs(atoms))
        {
            AddContact(i, j, switching);
        }

        return this;
    }

    /// <summary>Makes the featurizer.</summary>
    /// <exception cref="InvalidOperationException">No feature was added, or an atom label is missing.</exception>
    public Featurizer Build()
    {
        if (_terms.Count == 0)
        {
            throw new InvalidOperationException("Add at least one feature.");
        }

        string Label(int atom) => _labels is null
            ? atom.ToString(CultureInfo.InvariantCulture)
            : atom < _labels.Count ? _labels[atom] : throw new InvalidOperationException($"There is no label for atom {atom}; give one label per atom ({_labels.Count} given).");

        return new Featurizer(_terms.Select(make => make(Label)).ToArray(), _minimumImage);
    }

    private static IEnumerable<(int, int)> Pairs(IReadOnlyList<int> atoms)
    {
        ArgumentNullException.ThrowIfNull(atoms);
        if (atoms.Count < 2)
        {
            throw new ArgumentException("Give at least two atoms.", nameof(atoms));
        }

        if (atoms.Distinct().Count() != atoms.Count)
        {
            throw new ArgumentException("The atoms must be distinct.", nameof(atoms));
        }

        for (var a = 0; a < atoms.Count; a++)
        {
            for (var b = a + 1; b < atoms.Count; b++)
            {
                yield return (atoms[a], atoms[b]);
            }
        }
    }

    private static void CheckAtoms(params int[] atoms)
    {
        if (atoms.Any(a => a < 0))
        {
            throw new ArgumentOutOfRangeException(nameof(atoms), $"Atom indices are 0-based and cannot be negative; got ({string.Join(", ", atoms)}).");
        }

        if (atoms.Distinct().Count() != atoms.Length)
        {
            throw new ArgumentException($"The atoms of a feature must be distinct; got ({string.Join(", ", atoms)}).", nameof(atoms));
        }
    }
}
