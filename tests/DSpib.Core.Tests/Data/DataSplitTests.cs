using DSpib.Data;

namespace DSpib.Core.Tests.Data;

public class DataSplitTests
{
    [Fact]
    public void Random_ReferenceFractions_GivesExactPartSizes()
    {
        var split = DataSplit.Random(1000, 0.6, 0.2, seed: 1);

        split.Train.Should().HaveCount(600);
        split.Test.Should().HaveCount(200);
        split.Validation.Should().HaveCount(200);
    }

    [Fact]
    public void Random_Parts_AreDisjointAndCoverEveryIndexOnce()
    {
        var split = DataSplit.Random(1000, 0.6, 0.2, seed: 1);

        var all = split.Train.Concat(split.Test).Concat(split.Validation).ToArray();

        all.Should().HaveCount(1000);
        all.Order().Should().Equal(Enumerable.Range(0, 1000));
    }

    [Fact]
    public void Random_SameSeed_GivesSameSplit()
    {
        var first = DataSplit.Random(1000, 0.6, 0.2, seed: 5);
        var second = DataSplit.Random(1000, 0.6, 0.2, seed: 5);

        second.Train.Should().Equal(first.Train);
        second.Test.Should().Equal(first.Test);
        second.Validation.Should().Equal(first.Validation);
    }

    [Fact]
    public void Random_DifferentSeed_GivesDifferentSplit()
    {
        var first = DataSplit.Random(1000, 0.6, 0.2, seed: 5);
        var second = DataSplit.Random(1000, 0.6, 0.2, seed: 6);

        second.Train.Should().NotBeEquivalentTo(first.Train);
    }

    [Fact]
    public void Random_Shuffles_TrainingPartIsNotAPrefix()
    {
        var split = DataSplit.Random(1000, 0.6, 0.2, seed: 5);

        split.Train.Should().NotBeEquivalentTo(Enumerable.Range(0, 600));
    }

    [Fact]
    public void Random_DefaultArguments_MatchReferenceFractionsAndSeed42()
    {
        var defaults = DataSplit.Random(500);
        var explicitArguments = DataSplit.Random(500, 0.6, 0.2, 42);

        defaults.Train.Should().Equal(explicitArguments.Train);
        defaults.Test.Should().Equal(explicitArguments.Test);
        defaults.Validation.Should().Equal(explicitArguments.Validation);
    }

    [Fact]
    public void Random_AllForTraining_LeavesTestAndValidationEmpty()
    {
        var split = DataSplit.Random(10, 1.0, 0.0);

        split.Train.Should().BeEquivalentTo(Enumerable.Range(0, 10));
        split.Test.Should().BeEmpty();
        split.Validation.Should().BeEmpty();
    }

    [Fact]
    public void Random_FractionsSumToOne_LeavesValidationEmpty()
    {
        var split = DataSplit.Random(1000, 0.7, 0.3);

        split.Train.Should().HaveCount(700);
        split.Test.Should().HaveCount(300);
        split.Validation.Should().BeEmpty();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Random_InvalidTrainFraction_ThrowsNamingIt(double bad)
    {
        FluentActions.Invoking(() => DataSplit.Random(100, bad, 0.0))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("trainFraction");
    }

    [Theory]
    [InlineData(0.6, -0.1)]
    [InlineData(0.6, double.NaN)]
    [InlineData(0.7, 0.4)]
    [InlineData(1.0, 0.01)]
    public void Random_InvalidTestFraction_ThrowsNamingIt(double train, double bad)
    {
        FluentActions.Invoking(() => DataSplit.Random(100, train, bad))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("testFraction");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    public void Random_TooFewSamples_ThrowsNamingCount(int tooFew)
    {
        FluentActions.Invoking(() => DataSplit.Random(tooFew))
            .Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("count");
    }
}
