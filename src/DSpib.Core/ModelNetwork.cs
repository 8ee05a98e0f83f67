using DSpib.Data;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Internal;
using DSpib.Spib;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib;

/// <summary>
/// The trainable parts of a model and the standardiser in front of them. Not a TorchSharp module itself so that
/// label refinement can swap the decoder and prior for smaller ones without re-registering submodules.
/// </summary>
internal sealed class ModelNetwork : IDisposable
{
    public ModelNetwork(Encoder encoder, StateDecoder decoder, VampPriorNetwork prior, DiffusionPriorNetwork? diffusion, Standardizer standardizer, DeviceBackend backend)
    {
        Encoder = encoder;
        Decoder = decoder;
        Prior = prior;
        Diffusion = diffusion;
        Standardizer = standardizer;
        Backend = backend;
        using var noGrad = no_grad();
        StandardizerMean = NativeLifetime.Own(tensor(standardizer.Mean.ToArray(), dtype: backend.ScalarType, device: backend.Device));
        StandardizerScale = NativeLifetime.Own(tensor(standardizer.Scale.ToArray(), dtype: backend.ScalarType, device: backend.Device));
    }

    public Encoder Encoder { get; }

    public StateDecoder Decoder { get; private set; }

    public VampPriorNetwork Prior { get; private set; }

    public Standardizer Standardizer { get; }

    public DeviceBackend Backend { get; }

    public Tensor StandardizerMean { get; }

    public Tensor StandardizerScale { get; }

    public int StateCount => Decoder.StateCount;

    /// <summary>The diffusion prior of a D-SPIB model; <see langword="null"/> for the SPIB baseline.</summary>
    public DiffusionPriorNetwork? Diffusion { get; }

    /// <summary>
    /// The collective-variable prior p(mu | T) of a D-SPIB model, fitted on the encoder means after training;
    /// <see langword="null"/> for the SPIB baseline, before it is fitted, or when training fitted none.
    /// </summary>
    public DiffusionPriorNetwork? CollectiveVariableDiffusion { get; private set; }

    /// <summary>Descriptors per frame.</summary>
    public int InputDimension => Standardizer.FeatureCount;

    /// <summary>The parameters SPIB trains (encoder, decoder, VampPrior); call again after <see cref="ReplaceDecoder"/> or <see cref="ReplacePrior"/>.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> Parameters() =>
        Encoder.parameters().Concat(Decoder.parameters()).Concat(Prior.parameters());

    /// <summary>The parameters the joint D-SPIB objective trains: encoder, decoder and diffusion prior.</summary>
    public IEnumerable<TorchSharp.Modules.Parameter> JointParameters() =>
        Encoder.parameters().Concat(Decoder.parameters()).Concat(Diffusion?.parameters() ?? []);

    public void ReplaceDecoder(StateDecoder decoder)
    {
        var old = Decoder;
        Decoder = decoder;
        old.Dispose();
    }

    /// <summary>Installs <paramref name="prior"/> as the collective-variable prior (the network owns it from now on).</summary>
    public void ReplaceCollectiveVariableDiffusion(DiffusionPriorNetwork prior)
    {
        var old = CollectiveVariableDiffusion;
        CollectiveVariableDiffusion = prior;
        old?.Dispose();
    }

    public void ReplacePrior(VampPriorNetwork prior)
    {
        var old = Prior;
        Prior = prior;
        old.Dispose();
    }

    /// <summary>
    /// The metastable state of latent points: the decoder's most probable state. The one place states are assigned,
    /// in training (relabelling, final assignment) and in prediction alike.
    /// </summary>
    public Tensor StatesOf(Tensor latent) => Decoder.forward(latent).argmax(1);

    /// <summary>Standardises raw frames already on the device.</summary>
    public Tensor Standardize(Tensor raw) => (raw - StandardizerMean) / StandardizerScale;

    public void SetTraining(bool training)
    {
        Encoder.train(training);
        Decoder.train(training);
        Prior.train(training);
        Diffusion?.train(training);
        CollectiveVariableDiffusion?.train(training);
    }

    public void Dispose()
    {
        Encoder.Dispose();
        Decoder.Dispose();
        Prior.Dispose();
        Diffusion?.Dispose();
        CollectiveVariableDiffusion?.Dispose();
        StandardizerMean.Dispose();
        StandardizerScale.Dispose();
    }
}
