namespace DSpib.Systems.Potentials;

/// <summary>
/// Seven Lennard-Jones particles in two dimensions (epsilon = sigma = 1), with a flat-bottom harmonic wall on each
/// particle's distance from the centre of mass that keeps the cluster from evaporating:
/// U = sum_{i&lt;j} 4 (r_ij^-12 - r_ij^-6) + sum_i k/2 (|x_i - x_com| - R)^2 for |x_i - x_com| &gt; R.
/// Positions are 14 numbers (x_1, y_1, ..., x_7, y_7).
/// </summary>
public sealed class LennardJones7 : IPotential
{
    /// <summary>Number of particles.</summary>
    public const int Particles = 7;

    /// <summary>Creates the potential.</summary>
    /// <param name="wallStiffness">Force constant k of the wall (default 100).</param>
    /// <param name="wallRadius">Distance R from the centre of mass where the wall starts (default 2 sigma).</param>
    public LennardJones7(double wallStiffness = 100, double wallRadius = 2)
    {
        if (!(wallStiffness >= 0) || !double.IsFinite(wallStiffness))
        {
            throw new ArgumentOutOfRangeException(nameof(wallStiffness), wallStiffness, "The wall stiffness must be non-negative and finite.");
        }

        if (!(wallRadius > 0) || !double.IsFinite(wallRadius))
        {
            throw new ArgumentOutOfRangeException(nameof(wallRadius), wallRadius, "The wall radius must be positive and finite.");
        }

        WallStiffness = wallStiffness;
        WallRadius = wallRadius;
    }

    /// <inheritdoc />
    public int Dimension => 2 * Particles;

    /// <summary>Force constant of the wall.</summary>
    public double WallStiffness { get; }

    /// <summary>Distance from the centre of mass where the wall starts.</summary>
    public double WallRadius { get; }

    /// <inheritdoc />
    public double Energy(ReadOnlySpan<double> position)
    {
        Span<double> gradient = stackalloc double[2 * Particles];
        return EnergyAndGradient(position, gradient);
    }

    /// <inheritdoc />
    public double EnergyAndGradient(ReadOnlySpan<double> position, Span<double> gradient)
    {
        if (position.Length != 2 * Particles || gradient.Length < 2 * Particles)
        {
            throw new ArgumentException($"LJ7 positions have {2 * Particles} coordinates; got {position.Length}.", nameof(position));
        }

        gradient[..(2 * Particles)].Clear();
        var energy = 0.0;
        for (var i = 0; i < Particles; i++)
        {
            for (var j = i + 1; j < Particles; j++)
            {
                var dx = position[2 * i] - position[2 * j];
                var dy = position[(2 * i) + 1] - position[(2 * j) + 1];
                var inverse2 = 1 / ((dx * dx) + (dy * dy));
                var inverse6 = inverse2 * inverse2 * inverse2;
                energy += 4 * inverse6 * (inverse6 - 1);

                // dU/dr / r = -(48 r^-12 - 24 r^-6) / r^2.
                var scale = -((48 * inverse6 * inverse6) - (24 * inverse6)) * inverse2;
                gradient[2 * i] += scale * dx;
                gradient[(2 * i) + 1] += scale * dy;
                gradient[2 * j] -= scale * dx;
                gradient[(2 * j) + 1] -= scale * dy;
            }
        }

        if (WallStiffness > 0)
        {
            energy += Wall(position, gradient);
        }

        return energy;
    }

    /// <summary>The energy-minimised hexagon with a central particle (U = -12.535), found by relaxing the ideal one.</summary>
    public double[] MinimumEnergyHexagon()
    {
        var position = new double[2 * Particles];
        var spacing = Math.Pow(2, 1.0 / 6);
        for (var k = 0; k < 6; k++)
        {
            position[2 * (k + 1)] = spacing * Math.Cos(k * Math.PI / 3);
            position[(2 * (k + 1)) + 1] = spacing * Math.Sin(k * Math.PI / 3);
        }

        var gradient = new double[2 * Particles];
        for (var iteration = 0; iteration < 100_000; iteration++)
        {
            EnergyAndGradient(position, gradient);
            var norm = 0.0;
            for (var d = 0; d < position.Length; d++)
            {
                norm += gradient[d] * gradient[d];
                position[d] -= 1e-3 * gradient[d];
            }

            if (norm < 1e-20)
            {
                break;
            }
        }

        return position;
    }

    /// <summary>
    /// Relaxes <paramref name="position"/> in place to the local minimum below it (steepest descent, each coordinate's
    /// move capped at 0.02 so that a close contact cannot throw particles apart) and returns its energy. Used to tell
    /// which isomer a frame belongs to (<see cref="ClassifyIsomer"/>), a definition of the states that depends on no
    /// collective variable.
    /// </summary>
    /// <param name="position">14 coordinates, overwritten with the relaxed ones.</param>
    /// <param name="maxIterations">Descent steps at most; the relaxation stops earlier once the largest force component is below 1e-5.</param>
    public double Quench(Span<double> position, int maxIterations = 50_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIterations);
        const double Step = 2e-3;
        const double LargestMove = 0.02;
        Span<double> gradient = stackalloc double[2 * Particles];
        var energy = EnergyAndGradient(position, gradient);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            // The energy differences between isomers are 0.02 and more; a force of 1e-5 leaves the energy within
            // about 1e-9 of the minimum's.
            var largestForce = 0.0;
            foreach (var component in gradient)
            {
                largestForce = Math.Max(largestForce, Math.Abs(component));
            }

            if (largestForce < 1e-5)
            {
                break;
            }

            for (var d = 0; d < gradient.Length; d++)
            {
                position[d] -= Math.Clamp(Step * gradient[d], -LargestMove, LargestMove);
            }

            energy = EnergyAndGradient(position, gradient);
        }

        return energy;
    }

    /// <summary>
    /// The isomer a configuration belongs to: the one whose minimum energy is nearest to that of the minimum the
    /// configuration relaxes to (<see cref="Quench"/>). Every configuration is assigned; the rare one that relaxes to
    /// a saddle goes to the isomer of the nearest energy.
    /// </summary>
    /// <param name="position">14 coordinates (not changed).</param>
    public Lj7Isomer ClassifyIsomer(ReadOnlySpan<double> position)
    {
        if (position.Length != 2 * Particles)
        {
            throw new ArgumentException($"LJ7 positions have {2 * Particles} coordinates; got {position.Length}.", nameof(position));
        }

        Span<double> relaxed = stackalloc double[2 * Particles];
        position.CopyTo(relaxed);
        var energy = Quench(relaxed);
        var nearest = 0;
        for (var isomer = 1; isomer < IsomerEnergies.Count; isomer++)
        {
            if (Math.Abs(energy - IsomerEnergies[isomer]) < Math.Abs(energy - IsomerEnergies[nearest]))
            {
                nearest = isomer;
            }
        }

        return (Lj7Isomer)nearest;
    }

    /// <summary>
    /// The minimum energies of the four isomers in the order of <see cref="Lj7Isomer"/> (the wall is inactive at every
    /// minimum, so they are those of the bare cluster).
    /// </summary>
    public static IReadOnlyList<double> IsomerEnergies { get; } = [-12.5349, -11.5013, -11.4769, -11.4034];

    /// <summary>
    /// The coordination number of every particle, c_i = sum_{j != i} (1 - (r_ij / r0)^8) / (1 - (r_ij / r0)^16) with
    /// r0 = 1.5, in particle order (not sorted).
    /// </summary>
    /// <param name="position">14 coordinates.</param>
    /// <param name="coordination">Receives 7 values.</param>
    public static void CoordinationNumbers(ReadOnlySpan<double> position, Span<double> coordination)
    {
        const double SwitchingDistance = 1.5;
        coordination[..Particles].Clear();
        for (var i = 0; i < Particles; i++)
        {
            for (var j = i + 1; j < Particles; j++)
            {
                var dx = position[2 * i] - position[2 * j];
                var dy = position[(2 * i) + 1] - position[(2 * j) + 1];
                var ratio2 = ((dx * dx) + (dy * dy)) / (SwitchingDistance * SwitchingDistance);
                var ratio8 = ratio2 * ratio2 * ratio2 * ratio2;

                // (1 - x^8) / (1 - x^16) = 1 / (1 + x^8), which is also finite at x = 1.
                var value = 1 / (1 + ratio8);
                coordination[i] += value;
                coordination[j] += value;
            }
        }
    }

    /// <summary>
    /// The coordination numbers (as <see cref="CoordinationNumbers"/>) and their Jacobian dc_i / dx_d with respect to the
    /// 14 coordinates, for carrying a force on the descriptors back to the particles. The descriptors of
    /// <see cref="Datasets.Lj7Dataset"/> sort the coordination numbers; the Jacobian of the sorted ones is these rows
    /// in the same order (sorting is a permutation, piecewise constant).
    /// </summary>
    /// <param name="position">14 coordinates.</param>
    /// <param name="coordination">Receives 7 values.</param>
    /// <param name="jacobian">Receives 7 x 14 derivatives, row-major (row i is the gradient of c_i).</param>
    public static void CoordinationNumbersAndJacobian(ReadOnlySpan<double> position, Span<double> coordination, Span<double> jacobian)
    {
        const double SwitchingDistance = 1.5;
        const double InverseR02 = 1 / (SwitchingDistance * SwitchingDistance);
        if (position.Length != 2 * Particles || coordination.Length < Particles || jacobian.Length < Particles * 2 * Particles)
        {
            throw new ArgumentException($"Give 14 coordinates, room for 7 coordination numbers and 7 x 14 derivatives; got {position.Length}, {coordination.Length}, {jacobian.Length}.", nameof(position));
        }

        coordination[..Particles].Clear();
        jacobian[..(Particles * 2 * Particles)].Clear();
        for (var i = 0; i < Particles; i++)
        {
            for (var j = i + 1; j < Particles; j++)
            {
                var dx = position[2 * i] - position[2 * j];
                var dy = position[(2 * i) + 1] - position[(2 * j) + 1];
                var u = ((dx * dx) + (dy * dy)) * InverseR02;
                var u2 = u * u;
                var u4 = u2 * u2;
                var value = 1 / (1 + u4);
                coordination[i] += value;
                coordination[j] += value;

                // d/du (1 + u^4)^-1 = -4 u^3 / (1 + u^4)^2, and du/d(dx) = 2 dx / r0^2.
                var slope = -4 * u2 * u * value * value * 2 * InverseR02;
                var gx = slope * dx;
                var gy = slope * dy;
                foreach (var row in (ReadOnlySpan<int>)[i, j])
                {
                    var offset = row * 2 * Particles;
                    jacobian[offset + (2 * i)] += gx;
                    jacobian[offset + (2 * i) + 1] += gy;
                    jacobian[offset + (2 * j)] -= gx;
                    jacobian[offset + (2 * j) + 1] -= gy;
                }
            }
        }
    }

    /// <summary>The moments of <see cref="CoordinationMoments"/> and their gradients with respect to the 7 coordination numbers.</summary>
    /// <param name="coordination">7 coordination numbers.</param>
    /// <param name="mu2Gradient">Receives d mu2 / d c_i = 2/7 (c_i - mean c).</param>
    /// <param name="mu3Gradient">Receives d mu3 / d c_i = 3/7 ((c_i - mean c)^2 - mu2).</param>
    public static (double Mu2, double Mu3) CoordinationMomentsAndGradient(ReadOnlySpan<double> coordination, Span<double> mu2Gradient, Span<double> mu3Gradient)
    {
        var (mu2, mu3) = CoordinationMoments(coordination);
        var mean = 0.0;
        for (var i = 0; i < Particles; i++)
        {
            mean += coordination[i] / Particles;
        }

        for (var i = 0; i < Particles; i++)
        {
            var delta = coordination[i] - mean;
            mu2Gradient[i] = 2.0 / Particles * delta;
            mu3Gradient[i] = 3.0 / Particles * ((delta * delta) - mu2);
        }

        return (mu2, mu3);
    }

    /// <summary>The second and third central moments of the coordination numbers, mu_k = 1/7 sum_i (c_i - mean c)^k.</summary>
    /// <param name="coordination">7 coordination numbers.</param>
    public static (double Mu2, double Mu3) CoordinationMoments(ReadOnlySpan<double> coordination)
    {
        var mean = 0.0;
        for (var i = 0; i < Particles; i++)
        {
            mean += coordination[i] / Particles;
        }

        double mu2 = 0, mu3 = 0;
        for (var i = 0; i < Particles; i++)
        {
            var delta = coordination[i] - mean;
            mu2 += delta * delta / Particles;
            mu3 += delta * delta * delta / Particles;
        }

        return (mu2, mu3);
    }

    private double Wall(ReadOnlySpan<double> position, Span<double> gradient)
    {
        double comX = 0, comY = 0;
        for (var i = 0; i < Particles; i++)
        {
            comX += position[2 * i] / Particles;
            comY += position[(2 * i) + 1] / Particles;
        }

        // The wall force on particle i also pulls on the centre of mass, which every particle moves by 1/7.
        double pullX = 0, pullY = 0;
        var energy = 0.0;
        for (var i = 0; i < Particles; i++)
        {
            var dx = position[2 * i] - comX;
            var dy = position[(2 * i) + 1] - comY;
            var distance = Math.Sqrt((dx * dx) + (dy * dy));
            if (distance <= WallRadius)
            {
                continue;
            }

            var excess = distance - WallRadius;
            energy += 0.5 * WallStiffness * excess * excess;
            var scale = WallStiffness * excess / distance;
            gradient[2 * i] += scale * dx;
            gradient[(2 * i) + 1] += scale * dy;
            pullX += scale * dx;
            pullY += scale * dy;
        }

        for (var i = 0; i < Particles; i++)
        {
            gradient[2 * i] -= pullX / Particles;
            gradient[(2 * i) + 1] -= pullY / Particles;
        }

        return energy;
    }
}

/// <summary>
/// The four local minima of <see cref="LennardJones7"/> (Dellago, Bolhuis and Chandler 1998), in order of energy: the
/// hexagon with a central particle and three open isomers.
/// </summary>
public enum Lj7Isomer
{
    /// <summary>C0, the hexagon with a central particle (U = -12.53).</summary>
    C0,

    /// <summary>C1, a capped parallelogram (U = -11.50).</summary>
    C1,

    /// <summary>C2, the other capped parallelogram (U = -11.48).</summary>
    C2,

    /// <summary>C3, the trapezoid (U = -11.40).</summary>
    C3,
}
