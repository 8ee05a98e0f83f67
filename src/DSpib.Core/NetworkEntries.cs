using DSpib.Data;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Persistence;
using DSpib.Spib;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib;

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
    public const string CollectiveVariablePrior = "weights/collective-variable-prior.bin";

    public static NetworkDescription Describe(ModelNetwork network) => new(
        network.Backend.Precision,
        new StandardizerDescription(network.Standardizer.Mean.ToArray(), network.Standardizer.Scale.ToArray()),
        network.StateCount,
        checked((int)network.Prior.ComponentCount),
        network.Diffusion?.ReferenceTemperature,
        network.CollectiveVariableDiffusion is not null);

    public static List<(string Name, byte[] Bytes)> Write(ModelNetwork network)
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

        if (network.CollectiveVariableDiffusion is not null)
        {
            entries.Add((CollectiveVariablePrior, TensorEntries.Write(network.CollectiveVariableDiffusion)));
        }

        return entries;
    }

    /// <summary>
    /// Rebuilds the network in <paramref name="backend"/>'s precision and on its device with the model's own factory,
    /// then copies the stored weights in (converting precision if it differs). Nothing is left allocated if this throws.
    /// </summary>
    public static ModelNetwork Read(VerifiedContainer container, NetworkDescription description, ModelOptions options, DeviceBackend backend)
    {
        var standardizer = CreateStandardizer(container, description, options);
        if (description.StateCount < 1 || description.PriorComponents < 1)
        {
            throw container.Invalid($"it describes {description.StateCount} states and {description.PriorComponents} prior components.");
        }

        if ((options.Prior == LatentPrior.Diffusion) != description.DiffusionReferenceTemperature.HasValue
            || description.DiffusionReferenceTemperature is { } reference && !(reference > 0 && double.IsFinite(reference)))
        {
            throw container.Invalid("its diffusion prior's reference temperature is missing, superfluous or not positive.");
        }

        if (description.HasCollectiveVariablePrior && options.Diffusion is null)
        {
            throw container.Invalid("it has a collective-variable prior but no diffusion prior.");
        }

        if (!Enum.IsDefined(description.Precision))
        {
            throw container.Invalid($"it names the unknown precision {description.Precision}.");
        }

        var storedType = description.Precision == TensorPrecision.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var shape = new NetworkShape(standardizer.FeatureCount, description.StateCount, description.DiffusionReferenceTemperature);

        // The initial values are overwritten by the stored weights; the generator only satisfies the constructors.
        using var placeholder = new Generator(0);
        var network = NetworkFactory.Create(options, shape, standardizer, backend, placeholder, _ => zeros(description.PriorComponents, shape.InputDimension, dtype: backend.ScalarType, device: backend.Device));
        try
        {
            TensorEntries.LoadInto(network.Encoder, container, Encoder, storedType);
            TensorEntries.LoadInto(network.Decoder, container, Decoder, storedType);
            TensorEntries.LoadInto(network.Prior, container, VampPrior, storedType);
            if (network.Diffusion is { } diffusion)
            {
                TensorEntries.LoadInto(diffusion, container, DiffusionPrior, storedType);
                if (description.HasCollectiveVariablePrior)
                {
                    network.ReplaceCollectiveVariableDiffusion(NetworkFactory.DiffusionPrior(options.Diffusion!, options.LatentDimension, diffusion.ReferenceTemperature, backend));
                    TensorEntries.LoadInto(network.CollectiveVariableDiffusion!, container, CollectiveVariablePrior, storedType);
                }
            }

            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static Standardizer CreateStandardizer(VerifiedContainer container, NetworkDescription description, ModelOptions options)
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

        return standardizer.FeatureCount == options.InputDimension
            ? standardizer
            : throw container.Invalid($"its standardiser has {standardizer.FeatureCount} features but the model {options.InputDimension} inputs.");
    }
}
