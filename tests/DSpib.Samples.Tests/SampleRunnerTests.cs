namespace DSpib.Samples.Tests;

public sealed class SampleRunnerTests
{
    [Fact]
    public void ARunThatStopsWithAnInvalidOperation_PrintsItsMessage_AndExitsWithOne()
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        int code;
        try
        {
            code = SampleRunner.Run<string, string>(
                [],
                _ => "options",
                (_, _, _) => throw new InvalidOperationException("Label refinement left 1 state. Lower beta (WithBeta)."),
                summary => summary,
                _ => Path.GetTempPath());
        }
        finally
        {
            Console.SetError(previous);
        }

        code.Should().Be(1);
        error.ToString().Should().Contain("The run stopped: Label refinement left 1 state. Lower beta (WithBeta).");
        error.ToString().Should().NotContain(" at ", "the user gets the library's message, not a stack trace");
    }

    [Fact]
    public void AnotherFailure_IsNotTakenForAStoppedRun()
    {
        var run = () => SampleRunner.Run<string, string>(
            [],
            _ => "options",
            (_, _, _) => throw new InvalidDataException("a bug"),
            summary => summary,
            _ => Path.GetTempPath());

        run.Should().Throw<InvalidDataException>("only a run that cannot go on with its settings is turned into a message");
    }
}
