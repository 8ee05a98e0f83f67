using DSpib.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Training;

public class FlatAdamTests
{
    [Fact]
    public void Step_MatchesTorchAdamOverSeveralSteps()
    {
        using var generator = new Generator(7);
        var initial = new[] { randn(3, 4, generator: generator), randn(4, generator: generator), randn(1, generator: generator) };
        var flatParameters = initial.Select(t => new Parameter(t.clone())).ToArray();
        var torchParameters = initial.Select(t => new Parameter(t.clone())).ToArray();
        using var flat = new FlatAdam(flatParameters, learningRate: 0.01);
        using var reference = optim.Adam(torchParameters, lr: 0.01);

        for (var step = 0; step < 20; step++)
        {
            // A loss whose gradients differ per element and change from step to step.
            using var target = randn(3, 4, generator: generator);
            flat.ZeroGrad();
            Loss(flatParameters, target).backward();
            flat.Step();
            reference.zero_grad();
            Loss(torchParameters, target).backward();
            reference.step();
        }

        for (var i = 0; i < flatParameters.Length; i++)
        {
            flatParameters[i].allclose(torchParameters[i], rtol: 1e-5, atol: 1e-6).Should().BeTrue($"parameter {i} must follow torch.optim.Adam");
            flatParameters[i].allclose(initial[i], atol: 1e-3).Should().BeFalse("twenty steps must have moved it");
        }
    }

    [Fact]
    public void Step_LeavesParametersWithoutGradientsWhereTheyAre()
    {
        var used = new Parameter(ones(2));
        var unused = new Parameter(ones(2));
        using var flat = new FlatAdam([used, unused], learningRate: 0.1);

        (used * 3).sum().backward();
        flat.Step();

        unused.allclose(ones(2)).Should().BeTrue();
        used.allclose(ones(2)).Should().BeFalse();
    }

    private static Tensor Loss(Parameter[] parameters, Tensor target) =>
        ((parameters[0] - target).square().sum() * parameters[2].exp()) + (parameters[1] * target.sum(0)).sum();
}
