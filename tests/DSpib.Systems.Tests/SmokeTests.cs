namespace DSpib.Systems.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => typeof(SmokeTests).Assembly.Should().NotBeNull();
}
