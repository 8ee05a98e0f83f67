using DSpib.Data;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Spib;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib;

/// <summary>
/// Builds a model's network from its options: the one place that assembles encoder, state decoder, VampPrior and
/// diffusion prior, used alike when training starts and when a model file or checkpoint is read.
/// </summary>
internal static class NetworkFactory
{
    /// <summary>
    /// A network with freshly initialised weights (drawn from <paramref name="initGenerator"/> in a fixed order: encoder,
    /// decoder, diffusion prior) on <paramref name="backend"/>'s device.
    /// </summary>
    /// <param name="options">The model's options.</param>
    /// <param name="shape">What the data and training decide: input width, states, prior components, T_ref.</param>
    /// <param name="standardizer">The standardiser in front of the encoder.</param>
    /// <param name="backend">Device and precision.</param>
    /// <param name="initGenerator">Source of the initial weights.</param>
    /// <param name="pseudoInputs">The VampPrior's pseudo-inputs [components, inputs], given the new encoder.</param>
    public static ModelNetwork Create(ModelOptions options, NetworkShape shape, Standardizer standardizer, DeviceBackend backend, Generator initGenerator, Func<Encoder, Tensor> pseudoInputs)
    {
        var type = backend.ScalarType;
        var modules = new List<nn.Module>();
        try
        {
            var encoder = Add(modules, new Encoder(shape.InputDimension, options.LatentDimension, options.Encoder, type, initGenerator));
            var decoder = Add(modules, new StateDecoder(options.LatentDimension, options.DecoderHiddenLayers, shape.StateCount, options.DecoderActivation, type, initGenerator));
            encoder.to(backend.Device);
            decoder.to(backend.Device);
            var prior = Add(modules, new VampPriorNetwork(pseudoInputs(encoder)));
            DiffusionPriorNetwork? diffusion = null;
            if (options.Diffusion is { } diffusionOptions)
            {
                var reference = shape.ReferenceTemperature ?? throw new ArgumentException("A model with a diffusion prior needs its reference temperature.", nameof(shape));
                diffusion = Add(modules, new DiffusionPriorNetwork(diffusionOptions.Sde, diffusionOptions.ScoreNet, options.LatentDimension, reference, type, initGenerator));
                diffusion.ReducedProducts = backend.ReducedProductType;
                diffusion.to(backend.Device);
            }

            return new ModelNetwork(encoder, decoder, prior, diffusion, standardizer, backend);
        }
        catch
        {
            foreach (var module in modules)
            {
                module.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// A diffusion prior network of the model's architecture on <paramref name="backend"/>'s device, for weights that
    /// are copied in afterwards (the collective-variable prior, from the joint prior or a file): its initial values are
    /// drawn from a fixed generator and not used.
    /// </summary>
    public static DiffusionPriorNetwork DiffusionPrior(DiffusionPriorOptions options, int latentDimension, double referenceTemperature, DeviceBackend backend)
    {
        using var placeholder = new Generator(0);
        var prior = new DiffusionPriorNetwork(options.Sde, options.ScoreNet, latentDimension, referenceTemperature, backend.ScalarType, placeholder)
        {
            ReducedProducts = backend.ReducedProductType,
        };
        try
        {
            prior.to(backend.Device);
            return prior;
        }
        catch
        {
            prior.Dispose();
            throw;
        }
    }

    private static T Add<T>(List<nn.Module> modules, T module)
        where T : nn.Module
    {
        modules.Add(module);
        return module;
    }
}

/// <summary>The sizes of a network that the data and training decide, beyond the model's options.</summary>
/// <param name="InputDimension">Descriptors per frame.</param>
/// <param name="StateCount">States the decoder predicts.</param>
/// <param name="ReferenceTemperature">T_ref of the diffusion prior's temperature law (with a diffusion prior only).</param>
internal sealed record NetworkShape(int InputDimension, int StateCount, double? ReferenceTemperature);
