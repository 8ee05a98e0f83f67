using DSpib.Data;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Spib;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Persistence;

/// <summary>
/// The trained network of a model file or checkpoint: one TorchSharp state-dictionary entry per module (encoder,
/// state decoder, VampPrior with its pseudo-inputs, diffusion prior with its Fourier frequencies) and the description
/// of the shapes label refinement gave them. Loading rebuilds each module with those shapes, then copies the weights.
/// </summary>
internal static class NetworkEntries
{
    public const string Encoder = "weights/encoder.bin";
    public const string Decoder = "weights/decoder.bin";
    public const string VampPrior = "weights/vamp-prior.bin";
    public const string DiffusionPrior = "weights/diffusion-prior.bin";

    public static NetworkDescription Describe(SpibNetwork network) => new(
        network.Backend.Precision,
        new StandardizerDescription(network.Standardizer.Mean.ToArray(), network.Standardizer.Scale.ToArray()),
        network.StateCount,
        checked((int)network.Prior.ComponentCount),
        network.Diffusion?.ReferenceTemperature);

    public static List<(string Name, byte[] Bytes)> Write(SpibNetwork network)
    {
        var entries = new List<(string, byte[])>
        {
            (Encoder, TensorEntries.Write(network.Encoder)),
            (Decoder, TensorEntries.Write(network.Decoder)),
            (VampPrior, TensorEntries.Write(network.Prior)),
        };
        if (network.Diffusion is not null)
        {
            entries.Add((DiffusionPrior, TensorEntries.Write(network.Diffusion)));
        }

        return entries;
    }

    /// <summary>
    /// Rebuilds the network in <paramref name="backend"/>'s precision on the CPU, copies the stored weights in (converting
    /// precision if it differs), then moves it to the backend's device. Nothing is left allocated if this throws.
    /// </summary>
    public static SpibNetwork Read(VerifiedContainer container, NetworkDescription description, ModelConfiguration configuration, DeviceBackend backend)
    {
        var standardizer = CreateStandardizer(container, description, configuration);
        if (description.StateCount < 1 || description.PriorComponents < 1)
        {
            throw container.Invalid($"it describes {description.StateCount} states and {description.PriorComponents} prior components.");
        }

        if ((configuration.Prior == LatentPrior.Diffusion) != description.DiffusionReferenceTemperature.HasValue
            || description.DiffusionReferenceTemperature is { } reference && !(reference > 0 && double.IsFinite(reference)))
        {
            throw container.Invalid("its diffusion prior's reference temperature is missing, superfluous or not positive.");
        }

        if (!Enum.IsDefined(description.Precision))
        {
            throw container.Invalid($"it names the unknown precision {description.Precision}.");
        }

        var storedType = description.Precision == TensorPrecision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var type = backend.ScalarType;
        var modules = new List<nn.Module>();
        try
        {
            // The initial values are overwritten by the stored weights; the generator only satisfies the constructors.
            using var placeholder = new Generator(0);
            var encoder = Add(modules, new Spib.Encoder(configuration.InputDimension, configuration.LatentDimension, configuration.Encoder, type, placeholder));
            var decoder = Add(modules, new StateDecoder(configuration.LatentDimension, configuration.DecoderHiddenLayers, description.StateCount, configuration.DecoderActivation, type, placeholder));
            var prior = Add(modules, new Spib.VampPrior(zeros(description.PriorComponents, configuration.InputDimension, dtype: type)));
            var diffusion = description.DiffusionReferenceTemperature is double temperature
                ? Add(modules, new Diffusion.DiffusionPrior(configuration.Sde!, configuration.ScoreNet!, configuration.LatentDimension, temperature, type, placeholder))
                : null;

            TensorEntries.LoadInto(encoder, container, Encoder, storedType);
            TensorEntries.LoadInto(decoder, container, Decoder, storedType);
            TensorEntries.LoadInto(prior, container, VampPrior, storedType);
            if (diffusion is not null)
            {
                TensorEntries.LoadInto(diffusion, container, DiffusionPrior, storedType);
            }

            foreach (var module in modules)
            {
                module.to(backend.Device);
            }

            return new SpibNetwork(encoder, decoder, prior, standardizer, backend) { Diffusion = diffusion };
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

    private static T Add<T>(List<nn.Module> modules, T module)
        where T : nn.Module
    {
        modules.Add(module);
        return module;
    }

    private static Standardizer CreateStandardizer(VerifiedContainer container, NetworkDescription description, ModelConfiguration configuration)
    {
        Standardizer standardizer;
        try
        {
            standardizer = new Standardizer(description.Standardizer.Mean, description.Standardizer.Scale);
        }
        catch (ArgumentException e)
        {
            throw container.Invalid($"its standardiser is not valid ({e.Message}).", e);
        }

        return standardizer.FeatureCount == configuration.InputDimension
            ? standardizer
            : throw container.Invalid($"its standardiser has {standardizer.FeatureCount} features but the model {configuration.InputDimension} inputs.");
    }
}
