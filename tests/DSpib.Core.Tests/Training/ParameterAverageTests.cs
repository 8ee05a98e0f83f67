using DSpib.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Core.Tests.Training;

public class ParameterAverageTests
{
    [Fact]
    public void Update_FollowsTheWarmedUpExponentialAverage_AndCopiesItBack()
    {
        using var first = new Parameter(tensor(new[] { 1.0, 2.0 }));
        using var second = new Parameter(tensor(new[,] { { 3.0 } }));
        using var average = new ParameterAverage([first, second], decay: 0.9);
        double[] expected = [1.0, 2.0, 3.0];

        for (var n = 0; n < 30; n++)
        {
            using (no_grad())
            {
                first.add_(1.0);
                second.mul_(0.5);
            }

            average.Update();
            var decay = Math.Min(0.9, (1.0 + n) / (10.0 + n));
            double[] current = [first[0].item<double>(), first[1].item<double>(), second[0, 0].item<double>()];
            for (var i = 0; i < 3; i++)
            {
                expected[i] = (decay * expected[i]) + ((1 - decay) * current[i]);
            }
        }

        average.Updates.Should().Be(30);
        average.Average.data<double>().ToArray().Should().BeEquivalentTo(expected, o => o.Using<double>(c => c.Subject.Should().BeApproximately(c.Expectation, 1e-12)).WhenTypeIs<double>());
        average.CopyToParameters();
        first[1].item<double>().Should().BeApproximately(expected[1], 1e-12);
        second[0, 0].item<double>().Should().BeApproximately(expected[2], 1e-12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Constructor_DecayOutsideTheOpenUnitInterval_IsRefused(double decay)
    {
        using var parameter = new Parameter(zeros(2));
        var create = () => new ParameterAverage([parameter], decay);
        create.Should().Throw<ArgumentOutOfRangeException>().WithParameterName(nameof(decay));
    }
}
