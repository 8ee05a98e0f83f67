using DSpib.Diffusion;

namespace DSpib.Core.Tests.Support;

/// <summary>Every sampler the library has, with a given number of steps where it takes one.</summary>
internal static class AllSamplers
{
    public static IEnumerable<SamplerOptions> With(int steps, bool discrete = true)
    {
        if (discrete)
        {
            yield return SamplerOptions.Ancestral;
        }

        yield return SamplerOptions.ReverseSde(steps);
        yield return SamplerOptions.PredictorCorrector(steps);
        yield return SamplerOptions.ProbabilityFlow(steps);
        yield return SamplerOptions.AdaptiveProbabilityFlow();
    }
}
