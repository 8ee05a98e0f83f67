using TorchSharp;

namespace DSpib.Core.Tests.Support;

/// <summary>A fact about behaviour on machines without CUDA; skipped (with the reason shown) where CUDA is present.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FactWithoutCudaAttribute : FactAttribute
{
    public FactWithoutCudaAttribute()
    {
        if (torch.cuda.is_available())
        {
            Skip = "A CUDA device is present on this machine.";
        }
    }
}
