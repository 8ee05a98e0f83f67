using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Systems.Potentials;

namespace DSpib.Systems.Tests.Analysis;

public class BoltzmannGridTests
{
    [Fact]
    public void Populations_OfAHarmonicWellSplitAtItsCentre_AreOneHalfEach()
    {
        var grid = BoltzmannGrid.Create(new HarmonicPotential(2, 1.0), 1.0, -6, 6, -6, 6, 200, 200);
        var points = grid.Points();
        var assignment = Enumerable.Range(0, grid.Count).Select(i => points[i, 0] < 0 ? 0 : 1).ToArray();

        var populations = grid.Populations(assignment, 2);

        populations[0].Should().BeApproximately(0.5, 1e-12);
        populations.Sum().Should().BeApproximately(1.0, 1e-12);
    }

    [Fact]
    public void Populations_OfAHarmonicQuadrant_MatchTheGaussianIntegral()
    {
        // P(x > 1) for N(0, 1) is 0.158655...; the grid integral converges to it with the cell size.
        var grid = BoltzmannGrid.Create(new HarmonicPotential(2, 1.0), 1.0, -7, 7, -7, 7, 700, 700);
        var points = grid.Points();
        var assignment = Enumerable.Range(0, grid.Count).Select(i => points[i, 0] > 1 ? 1 : 0).ToArray();

        grid.Populations(assignment, 2)[1].Should().BeApproximately(0.158655, 2e-3);
    }

    [Fact]
    public void Sample_DrawsFromTheBoltzmannDistribution()
    {
        // Variance of N(0, kT/k) = 0.5 from 20,000 draws: standard error ~0.005.
        var grid = BoltzmannGrid.Create(new HarmonicPotential(2, 2.0), 1.0, -5, 5, -5, 5, 400, 400);

        var samples = grid.Sample(20_000, seed: 1);

        var xs = samples.Select(s => s[0]).ToArray();
        xs.Average().Should().BeApproximately(0, 0.03);
        xs.Select(x => x * x).Average().Should().BeApproximately(0.5, 0.03);
        grid.Sample(5, seed: 1).Should().BeEquivalentTo(grid.Sample(5, seed: 1), o => o.WithStrictOrdering());
    }

    [Fact]
    public void ThreeHoleWellPopulations_FromALongSimulation_MatchBoltzmann()
    {
        // 40 walkers from Boltzmann-distributed starts, 2.5M steps each: the standard error of each well population
        // is ~0.006, so 0.025 is a 4-sigma tolerance.
        var potential = new ThreeHolePotential();
        var grid = BoltzmannGrid.Create(potential, 0.6);
        var points = grid.Points();
        var wells = Enumerable.Range(0, grid.Count).Select(i => (int)ThreeHolePotential.ClassifyWell(points[i, 0], points[i, 1])).ToArray();
        var exact = grid.Populations(wells, 3);
        var options = new LangevinOptions { Temperature = 0.6, TimeStep = 1e-3, Walkers = 40, FramesPerWalker = 25_000, StepsPerFrame = 100, Seed = 9 };

        var result = new OverdampedLangevin(options).Run(potential, grid.Sample(40, seed: 9));

        var perWalker = result.Trajectories
            .Select(t => Enumerable.Range(0, t.GetLength(0)).Select(n => (int)ThreeHolePotential.ClassifyWell(t[n, 0], t[n, 1])).ToArray())
            .ToArray();
        var estimate = PopulationEstimate.FromWalkers(perWalker, 3);
        for (var k = 0; k < 3; k++)
        {
            estimate.Mean[k].Should().BeApproximately(exact[k], 0.025, $"well {(ThreeHoleWell)k}");
            estimate.StandardError[k].Should().BeLessThan(0.01);
        }
    }

    [Fact]
    public void Populations_WithAStateOutOfRange_ThrowsNamingAssignment()
    {
        var grid = BoltzmannGrid.Create(new HarmonicPotential(2, 1.0), 1.0, nx: 4, ny: 4);

        var act = () => grid.Populations(Enumerable.Repeat(3, 16).ToArray(), 2);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("assignment");
    }
}
