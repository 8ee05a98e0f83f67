using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>Generation of many latent samples from a diffusion prior: batched, seeded, with progress and cancellation between batches.</summary>
internal static class Generation
{
    /// <summary>
    /// Rows per sampler call. Large enough that each network call is one efficient batch of matrix products, small
    /// enough that a layer's activations stay in cache and intermediate tensors do not cost more in page faults than
    /// in arithmetic.
    /// </summary>
    public const int BatchRows = 20_000;

    /// <summary>Fills <paramref name="output"/> (count x D, row-major) with samples at one temperature.</summary>
    public static void Sample(DiffusionPriorNetwork prior, Span<double> output, int dimension, double temperature, int seed, SamplerOptions sampler, ScalarType type, Device device, IProgress<double>? progress, CancellationToken cancellationToken)
    {
        var count = output.Length / dimension;
        var lambda = prior.Lambda(temperature);
        using var generator = new Generator((ulong)seed, device);
        using var inference = inference_mode();
        for (var start = 0; start < count; start += BatchRows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var rows = Math.Min(BatchRows, count - start);
            using var scope = NewDisposeScope();
            var samples = sampler switch
            {
                AncestralSampler => Samplers.Ancestral(prior, prior.Sde, rows, dimension, temperature, lambda, generator, type, device),
                ReverseSdeSampler s => Samplers.ReverseSde(prior, prior.Sde, s.Steps, rows, dimension, temperature, lambda, generator, type, device),
                PredictorCorrectorSampler s => Samplers.ReverseSde(prior, prior.Sde, s.Steps, rows, dimension, temperature, lambda, generator, type, device, correctorSteps: 1, s.SignalToNoise),
                ProbabilityFlowSampler s => Samplers.ProbabilityFlowRk4(prior, prior.Sde, s.Steps, rows, dimension, temperature, lambda, generator, type, device),
                AdaptiveProbabilityFlowSampler s => Samplers.ProbabilityFlowDormandPrince(prior, prior.Sde, rows, dimension, temperature, lambda, generator, type, device, s.Tolerance, s.Tolerance).Samples,
                _ => throw new ArgumentOutOfRangeException(nameof(sampler), sampler, "Unknown sampler."),
            };
            samples.to(ScalarType.Float64).cpu().contiguous().data<double>().CopyTo(output.Slice(start * dimension, rows * dimension));
            progress?.Report((double)(start + rows) / count);
        }
    }
}
