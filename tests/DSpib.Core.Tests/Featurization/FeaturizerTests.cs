using DSpib.Core.Tests.Data.IO.Gromacs;
using DSpib.Data.IO;
using DSpib.Featurization;

namespace DSpib.Core.Tests.Featurization;

public class FeaturizerTests
{
    // Alanine dipeptide (0-based, the order of ala2-vacuum.gro): ACE C 4, ALA N 6, CA 8, C 14, NME N 16.
    private static readonly int[] Phi = [4, 6, 8, 14];
    private static readonly int[] Psi = [6, 8, 14, 16];

    [Fact]
    public void Compute_SimpleGeometry_GivesTheClosedFormValues()
    {
        // Atoms: origin, (3,0,0), (3,4,0), (3,4,5) and, for a dihedral of -60 degrees, a fifth atom.
        double[,,] positions =
        {
            {
                { 0, 0, 0 }, { 3, 0, 0 }, { 3, 4, 0 }, { 3, 4, 5 },
                { 3 + Math.Cos(-Math.PI / 3), 4, Math.Sin(-Math.PI / 3) },
            },
        };
        var featurizer = Featurizer.Create()
            .AddDistance(0, 2)
            .AddAngle(0, 1, 2)
            .AddDihedral(0, 1, 2, 3, "trans")
            .AddDihedral(4, 2, 1, 0)
            .Build();

        var features = featurizer.Compute(positions);

        featurizer.Names.Should().Equal("dist(0,2)", "angle(0,1,2)", "sin(trans)", "cos(trans)", "sin(dihedral(4,2,1,0))", "cos(dihedral(4,2,1,0))");
        features[0, 0].Should().BeApproximately(5, 1e-12);
        features[0, 1].Should().BeApproximately(Math.PI / 2, 1e-12);
        // Along 1->2 (+y), bond 1->0 points to -x and bond 2->3 to +z: a quarter turn, +90 degrees (IUPAC, as GROMACS;
        // the sign convention itself is checked against gmx angle below).
        features[0, 2].Should().BeApproximately(1, 1e-12);
        features[0, 3].Should().BeApproximately(0, 1e-12);
        // Reversing the atoms keeps the dihedral: 4-2-1-0 is 0-1-2-4, whose last bond lies at alpha = -60 degrees from +x
        // toward +z; alpha = 0 is anti (180) and alpha = 90 the +90 above, so phi = 180 - alpha = 240, i.e. -120 degrees.
        features[0, 4].Should().BeApproximately(Math.Sin(-2 * Math.PI / 3), 1e-12);
        features[0, 5].Should().BeApproximately(Math.Cos(-2 * Math.PI / 3), 1e-12);
    }

    [Fact]
    public void Dihedrals_AgreeWithGmxAngle()
    {
        // gmx angle wrote phi and psi of ala2-vacuum.xtc with 3 decimals; both use the same float positions, so the
        // difference is the printed rounding (5e-4 degrees) and float32 arithmetic in GROMACS (well below 1e-2 degrees).
        var trajectory = Xtc.Read(GromacsFixtures.File("ala2-vacuum.xtc"));
        var gmx = Xvg.Read(GromacsFixtures.File("dihedrals.xvg"));
        var featurizer = Featurizer.Create().AddDihedral(Phi[0], Phi[1], Phi[2], Phi[3], "phi").AddDihedral(Psi[0], Psi[1], Psi[2], Psi[3], "psi").Build();

        var features = featurizer.Compute(trajectory);

        var (phi, psi) = (gmx.Column("y2"), gmx.Column("y3"));
        for (var f = 0; f < trajectory.FrameCount; f++)
        {
            AngleDifference(Math.Atan2(features[f, 0], features[f, 1]), phi[f]).Should().BeLessThan(1e-2);
            AngleDifference(Math.Atan2(features[f, 2], features[f, 3]), psi[f]).Should().BeLessThan(1e-2);
        }
    }

    [Fact]
    public void Distances_AgreeWithGmxDistance()
    {
        // gmx distance printed 3 decimals (5e-4 nm); the positions are the same floats.
        var trajectory = Xtc.Read(GromacsFixtures.File("ala2-vacuum.xtc"));
        var gmx = Xvg.Read(GromacsFixtures.File("distances.xvg")).ToMatrix();
        // atomnr 1 19 and atomnr 5 17 (1-based) are ACE CH3 - NME CH3 and ACE C - NME N.
        var featurizer = Featurizer.Create().AddDistance(0, 18).AddDistance(4, 16).WithMinimumImage().Build();

        var features = featurizer.Compute(trajectory);

        for (var f = 0; f < trajectory.FrameCount; f++)
        {
            features[f, 0].Should().BeApproximately(gmx[f, 1], 6e-4);
            features[f, 1].Should().BeApproximately(gmx[f, 2], 6e-4);
        }
    }

    [Fact]
    public void AllPairDistances_OfTheHeavyAtoms_Are45Columns()
    {
        var gro = Gro.Read(GromacsFixtures.File("ala2-vacuum.gro"));
        var heavy = gro.AtomIndices(a => !a.IsHydrogen);
        var labels = gro.Atoms.Select(a => $"{a.ResidueName}{a.ResidueNumber}:{a.AtomName}").ToArray();

        var featurizer = Featurizer.Create().WithAtomLabels(labels).AddAllPairDistances(heavy).Build();
        var features = featurizer.Compute(gro.Trajectory);

        featurizer.FeatureCount.Should().Be(45);
        featurizer.Names[0].Should().Be("dist(ACE1:CH3,ACE1:C)");
        featurizer.Names[44].Should().Be("dist(NME3:N,NME3:CH3)");
        var frame = gro.Trajectory.Frame(7);
        var (a, b) = (heavy[2], heavy[9]);
        var expected = Math.Sqrt(Enumerable.Range(0, 3).Sum(d => Math.Pow(frame[a, d] - frame[b, d], 2)));
        // Pair (2, 9) is column 7 + 6 + ... : pairs of atom 0 (9), atom 1 (8), then (2,3)..(2,9) is the 7th of atom 2.
        features[7, 9 + 8 + 6].Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Gradients_MatchCentralFiniteDifferences()
    {
        var frame = Gro.Read(GromacsFixtures.File("ala2-vacuum.gro")).Trajectory.Frame(3);
        var featurizer = Featurizer.Create()
            .AddDistance(0, 18)
            .AddAngle(4, 6, 8)
            .AddDihedral(Phi[0], Phi[1], Phi[2], Phi[3], "phi")
            .AddDihedral(Psi[0], Psi[1], Psi[2], Psi[3], "psi")
            .AddContact(5, 17, new RationalSwitchingFunction(r0: 0.25))
            .AddContact(0, 18, new RationalSwitchingFunction(r0: 0.4, n: 8, m: 14, d0: 0.1))
            .Build();

        var (values, gradient) = featurizer.ComputeWithGradient(frame);

        values.Should().Equal(Row(featurizer.Compute(ToBatch(frame)), 0));
        // Central differences with h = 1e-6 nm have truncation error ~h^2 f''' and rounding ~1e-16 / h: about 1e-9 here
        // for features of order 1 and curvatures of order 1/(0.1 nm)^2; 1e-6 leaves room and catches any wrong term.
        const double h = 1e-6;
        for (var atom = 0; atom < frame.GetLength(0); atom++)
        {
            for (var d = 0; d < 3; d++)
            {
                var plus = (double[,])frame.Clone();
                var minus = (double[,])frame.Clone();
                plus[atom, d] += h;
                minus[atom, d] -= h;
                var up = featurizer.ComputeWithGradient(plus).Values;
                var down = featurizer.ComputeWithGradient(minus).Values;
                for (var feature = 0; feature < values.Length; feature++)
                {
                    var numeric = (up[feature] - down[feature]) / (2 * h);
                    gradient[feature, atom, d].Should().BeApproximately(numeric, 1e-6, $"d {featurizer.Names[feature]} / d x[{atom},{d}]");
                }
            }
        }

        // Every feature has a non-zero gradient somewhere, so the comparison above is not trivially zero against zero.
        for (var feature = 0; feature < values.Length; feature++)
        {
            Enumerable.Range(0, frame.GetLength(0)).Max(atom => Math.Abs(gradient[feature, atom, 0])).Should().BeGreaterThan(1e-3);
        }
    }

    [Fact]
    public void MinimumImage_AMoleculeSplitByTheBox_GivesTheWholeMoleculesFeatures()
    {
        var whole = Gro.Read(GromacsFixtures.File("ala2-vacuum.gro")).Trajectory.Frame(0);
        var split = (double[,])whole.Clone();
        const double edge = 3.0;
        for (var atom = 0; atom < split.GetLength(0); atom++)
        {
            for (var d = 0; d < 3; d++)
            {
                // Wrap every atom into [0, 3) nm: the molecule (around 2.5-3.5 nm) is cut by the box faces.
                split[atom, d] -= edge * Math.Floor(split[atom, d] / edge);
            }
        }

        var builder = Featurizer.Create().AddDihedral(Phi[0], Phi[1], Phi[2], Phi[3]).AddAllPairDistances([0, 4, 8, 14, 18]).AddAngle(4, 6, 8);
        var plain = builder.Build();
        var periodic = Featurizer.Create().WithMinimumImage().AddDihedral(Phi[0], Phi[1], Phi[2], Phi[3]).AddAllPairDistances([0, 4, 8, 14, 18]).AddAngle(4, 6, 8).Build();
        var boxes = new double[,] { { edge, edge, edge } };

        var expected = Row(plain.Compute(ToBatch(whole)), 0);
        var wrapped = Row(periodic.Compute(ToBatch(split), boxes), 0);
        var naive = Row(plain.Compute(ToBatch(split)), 0);

        wrapped.Zip(expected).Should().OnlyContain(p => Math.Abs(p.First - p.Second) < 1e-12);
        naive.Zip(expected).Should().Contain(p => Math.Abs(p.First - p.Second) > 0.1, "the split molecule must really be split");
        var act = () => periodic.Compute(ToBatch(split));
        act.Should().Throw<ArgumentException>().WithMessage("*box edge lengths*");
    }

    [Fact]
    public void RationalSwitch_FollowsPlumedsFormula()
    {
        var s = new RationalSwitchingFunction(r0: 0.5, n: 6, m: 10, d0: 0.1);

        s.Value(0.05).Should().Be(1);
        s.Value(0.6).Should().BeApproximately(0.6, 1e-12); // x = 1: n / m
        foreach (var r in new[] { 0.2, 0.5, 0.65, 1.3, 4.0 })
        {
            var x = (r - 0.1) / 0.5;
            s.Value(r).Should().BeApproximately((1 - Math.Pow(x, 6)) / (1 - Math.Pow(x, 10)), 1e-12);
            s.Derivative(r).Should().BeApproximately((s.Value(r + 1e-7) - s.Value(r - 1e-7)) / 2e-7, 1e-6);
        }

        new RationalSwitchingFunction(0.5).Value(0.7).Should().BeApproximately(1 / (1 + Math.Pow(0.7 / 0.5, 6)), 1e-12);
    }

    [Fact]
    public void BadInput_IsRefused()
    {
        var featurizer = Featurizer.Create().AddDistance(0, 5).Build();

        ((Action)(() => featurizer.Compute(new double[1, 3, 3]))).Should().Throw<ArgumentException>().WithMessage("*atom index 5*3 atoms*");
        ((Action)(() => Featurizer.Create().AddAngle(1, 2, 1))).Should().Throw<ArgumentException>().WithMessage("*distinct*");
        ((Action)(() => Featurizer.Create().Build())).Should().Throw<InvalidOperationException>();
        ((Func<RationalSwitchingFunction>)(() => new RationalSwitchingFunction(0.5, n: 6, m: 6))).Should().Throw<ArgumentOutOfRangeException>();
    }

    private static double AngleDifference(double radians, double degrees)
    {
        var difference = Math.Abs((radians * 180 / Math.PI) - degrees) % 360;
        return Math.Min(difference, 360 - difference);
    }

    private static double[,,] ToBatch(double[,] frame)
    {
        var batch = new double[1, frame.GetLength(0), 3];
        for (var atom = 0; atom < frame.GetLength(0); atom++)
        {
            for (var d = 0; d < 3; d++)
            {
                batch[0, atom, d] = frame[atom, d];
            }
        }

        return batch;
    }

    private static double[] Row(double[,] matrix, int row) =>
        Enumerable.Range(0, matrix.GetLength(1)).Select(j => matrix[row, j]).ToArray();
}
