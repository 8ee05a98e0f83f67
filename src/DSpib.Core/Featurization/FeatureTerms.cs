namespace DSpib.Featurization;

/// <summary>A 3-vector for the feature geometry.</summary>
internal readonly record struct Vec3(double X, double Y, double Z)
{
    public double Length => Math.Sqrt(Dot(this));

    public static Vec3 operator +(Vec3 a, Vec3 b) => new(a.X + b.X, a.Y + b.Y, a.Z + b.Z);

    public static Vec3 operator -(Vec3 a, Vec3 b) => new(a.X - b.X, a.Y - b.Y, a.Z - b.Z);

    public static Vec3 operator -(Vec3 a) => new(-a.X, -a.Y, -a.Z);

    public static Vec3 operator *(double s, Vec3 a) => new(s * a.X, s * a.Y, s * a.Z);

    public double Dot(Vec3 b) => (X * b.X) + (Y * b.Y) + (Z * b.Z);

    public Vec3 Cross(Vec3 b) => new((Y * b.Z) - (Z * b.Y), (Z * b.X) - (X * b.Z), (X * b.Y) - (Y * b.X));
}

/// <summary>One frame's positions (atoms x 3, flat) and, for the minimum-image convention, its box edge lengths.</summary>
internal readonly ref struct Geometry(ReadOnlySpan<double> positions, ReadOnlySpan<double> box)
{
    private readonly ReadOnlySpan<double> _positions = positions;
    private readonly ReadOnlySpan<double> _box = box;

    /// <summary>The vector from atom <paramref name="from"/> to atom <paramref name="to"/>, wrapped to the nearest image when a box is given.</summary>
    public Vec3 Vector(int from, int to)
    {
        var x = _positions[(3 * to) + 0] - _positions[(3 * from) + 0];
        var y = _positions[(3 * to) + 1] - _positions[(3 * from) + 1];
        var z = _positions[(3 * to) + 2] - _positions[(3 * from) + 2];
        if (!_box.IsEmpty)
        {
            x -= _box[0] * Math.Round(x / _box[0]);
            y -= _box[1] * Math.Round(y / _box[1]);
            z -= _box[2] * Math.Round(z / _box[2]);
        }

        return new Vec3(x, y, z);
    }
}

/// <summary>One or more features of a few atoms, with their gradient.</summary>
internal abstract class FeatureTerm(int[] atoms, string[] names)
{
    public int[] Atoms { get; } = atoms;

    public string[] Names { get; } = names;

    /// <summary>
    /// Writes the term's values and, when <paramref name="gradient"/> is not empty, d value / d position into it (one
    /// row of atoms x 3 per value, the rows of this term only).
    /// </summary>
    public abstract void Evaluate(Geometry geometry, Span<double> values, Span<double> gradient);

    protected void Add(Span<double> gradient, int row, int atom, Vec3 g)
    {
        var offset = (row * (gradient.Length / Names.Length)) + (3 * atom);
        gradient[offset] += g.X;
        gradient[offset + 1] += g.Y;
        gradient[offset + 2] += g.Z;
    }
}

/// <summary>|r_j - r_i|, or a switching function of it (a contact).</summary>
internal sealed class DistanceTerm(int i, int j, string name, RationalSwitchingFunction? switching) : FeatureTerm([i, j], [name])
{
    public override void Evaluate(Geometry geometry, Span<double> values, Span<double> gradient)
    {
        var d = geometry.Vector(i, j);
        var r = d.Length;
        var (value, slope) = switching is null ? (r, 1.0) : switching.Evaluate(r);
        values[0] = value;
        if (!gradient.IsEmpty)
        {
            var g = (slope / r) * d;
            Add(gradient, 0, j, g);
            Add(gradient, 0, i, -g);
        }
    }
}

/// <summary>The angle i-j-k at atom j, in radians.</summary>
internal sealed class AngleTerm(int i, int j, int k, string name) : FeatureTerm([i, j, k], [name])
{
    public override void Evaluate(Geometry geometry, Span<double> values, Span<double> gradient)
    {
        var u = geometry.Vector(j, i);
        var v = geometry.Vector(j, k);
        var (lu, lv) = (u.Length, v.Length);
        var theta = Math.Atan2(u.Cross(v).Length, u.Dot(v));
        values[0] = theta;
        if (!gradient.IsEmpty)
        {
            var (cos, sin) = (Math.Cos(theta), Math.Sin(theta));
            var (uHat, vHat) = ((1 / lu) * u, (1 / lv) * v);
            // d theta / d u = (cos theta u^ - v^) / (|u| sin theta), and symmetrically for v.
            var gi = (1 / (lu * sin)) * ((cos * uHat) - vHat);
            var gk = (1 / (lv * sin)) * ((cos * vHat) - uHat);
            Add(gradient, 0, i, gi);
            Add(gradient, 0, k, gk);
            Add(gradient, 0, j, -(gi + gk));
        }
    }
}

/// <summary>The dihedral i-j-k-l as sin(phi) and cos(phi).</summary>
internal sealed class DihedralTerm(int i, int j, int k, int l, string name) : FeatureTerm([i, j, k, l], [$"sin({name})", $"cos({name})"])
{
    public static double Angle(Geometry geometry, int i, int j, int k, int l)
    {
        var (b1, b2, b3) = (geometry.Vector(i, j), geometry.Vector(j, k), geometry.Vector(k, l));
        return Math.Atan2(b2.Length * b1.Dot(b2.Cross(b3)), b1.Cross(b2).Dot(b2.Cross(b3)));
    }

    public override void Evaluate(Geometry geometry, Span<double> values, Span<double> gradient)
    {
        var phi = Angle(geometry, i, j, k, l);
        var (sin, cos) = Math.SinCos(phi);
        values[0] = sin;
        values[1] = cos;
        if (gradient.IsEmpty)
        {
            return;
        }

        // With b1 = r_j - r_i, b2 = r_k - r_j, b3 = r_l - r_k, n1 = b1 x b2, n2 = b2 x b3 (Blondel and Karplus, 1996):
        // d phi / d r_i = -|b2| / |n1|^2 n1, d phi / d r_l = |b2| / |n2|^2 n2, and the inner atoms from the
        // projections of b1 and b3 on b2 (the gradient sums to zero, as for any rigid translation).
        var (b1, b2, b3) = (geometry.Vector(i, j), geometry.Vector(j, k), geometry.Vector(k, l));
        var (n1, n2) = (b1.Cross(b2), b2.Cross(b3));
        var lb2 = b2.Length;
        var gi = (-lb2 / n1.Dot(n1)) * n1;
        var gl = (lb2 / n2.Dot(n2)) * n2;
        var p1 = b1.Dot(b2) / (lb2 * lb2);
        var p3 = b3.Dot(b2) / (lb2 * lb2);
        var gj = ((-p1 - 1) * gi) + (p3 * gl);
        var gk = ((-p3 - 1) * gl) + (p1 * gi);
        foreach (var (row, factor) in new[] { (0, cos), (1, -sin) })
        {
            Add(gradient, row, i, factor * gi);
            Add(gradient, row, j, factor * gj);
            Add(gradient, row, k, factor * gk);
            Add(gradient, row, l, factor * gl);
        }
    }
}
