namespace DSpib.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void TorchSharpNativeLibraryLoads()
    {
        using var t = TorchSharp.torch.ones(2, 2);
        t.sum().item<float>().Should().Be(4f);
    }
}
