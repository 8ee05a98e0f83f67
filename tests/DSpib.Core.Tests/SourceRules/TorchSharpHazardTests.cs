using TorchSharp;

namespace DSpib.Core.Tests.SourceRules;

/// <summary>
/// The library calls no TorchSharp member that makes a Scalar internally and drops it (found in TorchSharp's own IL),
/// nor one of the members listed for hazards the IL does not show. See docs/reliability.md.
/// </summary>
public sealed class TorchSharpHazardTests
{
    private static readonly Lazy<Dictionary<string, string>> Makers = new(() => TorchSharpHazards.TemporaryScalarMakers(typeof(torch).Assembly.Location));

    [Fact]
    public void TheLibraryCallsNoTorchSharpMemberThatDropsATemporaryScalar()
    {
        var findings = TorchSharpHazards.CallsTo(typeof(DSpibModel).Assembly.Location, Makers.Value);

        findings.Should().BeEmpty("a Scalar TorchSharp makes and drops inside a call can be finalised while libtorch reads it:{0}{1}", Environment.NewLine, string.Join(Environment.NewLine, findings));
    }

    [Fact]
    public void TheLibraryCallsNoListedHazardousTorchSharpMember()
    {
        var findings = TorchSharpHazards.CallsTo(typeof(DSpibModel).Assembly.Location, TorchSharpHazards.Listed);

        findings.Should().BeEmpty(string.Join(Environment.NewLine, findings));
    }

    [Theory]
    [InlineData("TorchSharp.torch/Tensor::square()", "implicit conversion")]
    [InlineData("TorchSharp.torch::arange(TorchSharp.Scalar,System.Nullable`1<TorchSharp.torch/ScalarType>,TorchSharp.torch/Device,Boolean)", "implicit conversion")]
    [InlineData("TorchSharp.torch/Tensor::add(TorchSharp.torch/Tensor)", "implicit conversion")]
    [InlineData("TorchSharp.torch/Tensor::op_Addition(TorchSharp.torch/Tensor,TorchSharp.torch/Tensor)", "calls TorchSharp.torch/Tensor::add(")]
    [InlineData("TorchSharp.TensorExtensionMethods::ToDouble(TorchSharp.torch/Tensor)", "Tensor.ToScalar")]
    public void TheAnalysis_FindsTheKnownMakers_WithTheirReason(string member, string reason)
    {
        Makers.Value.Should().ContainKey(member);
        Makers.Value[member].Should().Contain(reason);
    }

    [Theory]
    [InlineData("TorchSharp.torch/Tensor::mul(TorchSharp.torch/Tensor)")]
    [InlineData("TorchSharp.torch/Tensor::add(TorchSharp.torch/Tensor,TorchSharp.Scalar)")]
    [InlineData("TorchSharp.torch::arange(TorchSharp.Scalar,TorchSharp.Scalar,TorchSharp.Scalar,System.Nullable`1<TorchSharp.torch/ScalarType>,TorchSharp.torch/Device,Boolean)")]
    public void TheAnalysis_LeavesMembersThatOnlyUseTheScalarsTheyAreGiven(string member)
    {
        Makers.Value.Should().NotContainKey(member);
    }

    [Fact]
    public void TheScan_FindsACallToAMaker_WithTheCallingMethod()
    {
        var findings = TorchSharpHazards.CallsTo(typeof(TorchSharpHazardTests).Assembly.Location, Makers.Value);

        findings.Should().Contain(f => f.StartsWith("DSpib.Core.Tests.SourceRules.TorchSharpHazardTests/Offending.Squared calls TorchSharp.torch/Tensor::square()", StringComparison.Ordinal));
    }

    /// <summary>Never called: compiled only so that the scan has something to find.</summary>
    private static class Offending
    {
        public static torch.Tensor Squared(torch.Tensor a) => a.square();
    }
}
