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

    [Fact]
    public void Gradients_AreTheOptimizersOwn_SoZeroGradClearsWhatBackwardAccumulated()
    {
        var weight = new Parameter(ones(3, 2));
        var bias = new Parameter(zeros(2));
        using var flat = new FlatAdam([weight, bias], learningRate: 0.1);

        // Two backward passes accumulate (the gradient is added into, not replaced); ZeroGrad then clears the tensors the
        // parameters see, which it can only do if they are the optimizer's flat gradient.
        (weight.sum() + (2 * bias.sum())).backward();
        (weight.sum() + (2 * bias.sum())).backward();
        using (var accumulated = bias.grad!)
        {
            accumulated.allclose(full(2, 4.0f)).Should().BeTrue();
        }

        flat.ZeroGrad();
        using var cleared = weight.grad!;
        cleared.abs().max().item<float>().Should().Be(0);

        // The step moves the parameters the module holds, as one update of the flat values.
        (3 * weight.sum()).backward();
        flat.Step();
        weight.allclose(full(3, 2, 0.9f)).Should().BeTrue("Adam's first step moves each element by the learning rate against its gradient's sign");
        bias.allclose(zeros(2)).Should().BeTrue("its gradient was cleared and stayed zero");
    }

    [Fact]
    public void Parameters_StartOnSixtyFourByteBoundaries_SoTrainedWeightsComputeAsTheirSavedCopiesDo()
    {
        // Sizes that are not multiples of 16 floats would put the next parameter off a 64-byte boundary if packed
        // tightly; BLAS kernels can round differently there, and a saved and reloaded model (freshly allocated,
        // aligned) would then not reproduce the trained one bit for bit.
        var parameters = new[] { new Parameter(ones(3)), new Parameter(ones(5, 7)), new Parameter(ones(2)) };
        using var flat = new FlatAdam(parameters, learningRate: 0.1);

        parameters.Select(p => p.storage_offset() * p.ElementSize % 64).Should().AllBeEquivalentTo(0L);
        parameters.Select(p => p.storage_offset()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems("each has its own segment");
        parameters[1].allclose(ones(5, 7)).Should().BeTrue("moving a parameter into the flat tensor keeps its values");
    }

    [Fact]
    public void SavedState_HoldsTheMomentsInParameterOrderWithoutPadding_AndRestoresIntoAFreshOptimizer()
    {
        // Checkpoints store one vector of the parameters' values per moment: the alignment padding must not reach them,
        // or checkpoints would change layout with it and older ones would not resume.
        var weight = new Parameter(ones(3));
        var bias = new Parameter(ones(2));
        using var flat = new FlatAdam([weight, bias], learningRate: 0.1);
        ((2 * weight.sum()) + (3 * bias.sum())).backward();
        flat.Step();

        var (first, second, steps) = flat.SaveState();
        using (first)
        using (second)
        {
            steps.Should().Be(1);
            first.shape.Should().Equal([5L]);
            first.allclose(tensor(new[] { 0.2f, 0.2f, 0.2f, 0.3f, 0.3f })).Should().BeTrue("the first moment after one step is (1 - beta1) g, parameter by parameter");
            second.allclose(tensor(new[] { 0.004f, 0.004f, 0.004f, 0.009f, 0.009f })).Should().BeTrue("the second moment after one step is (1 - beta2) g^2");

            var copyWeight = new Parameter(ones(3));
            var copyBias = new Parameter(ones(2));
            using var restored = new FlatAdam([copyWeight, copyBias], learningRate: 0.1);
            restored.Restore(first, second, steps);
            var (again, _, _) = restored.SaveState();
            using (again)
            {
                again.allclose(first).Should().BeTrue();
            }

            var wrong = () => restored.Restore(ones(6), ones(6), 1);
            wrong.Should().Throw<ArgumentException>().WithParameterName("firstMoment").WithMessage("*6 and 6 values but the parameters 5*");
        }
    }

    [Fact]
    public void Constructor_RefusesAParameterListedTwice()
    {
        var weight = new Parameter(ones(2));

        var act = () => new FlatAdam([weight, weight], learningRate: 0.1);

        act.Should().Throw<ArgumentException>().WithParameterName("parameters").WithMessage("*listed twice*");
    }

    private static Tensor Loss(Parameter[] parameters, Tensor target) =>
        ((parameters[0] - target).square().sum() * parameters[2].exp()) + (parameters[1] * target.sum(0)).sum();
}
