using DSpib.Devices;
using Microsoft.Extensions.Logging;

namespace DSpib.Diffusion;

/// <summary>What a <see cref="DiffusionPrior"/> needs from the model it belongs to.</summary>
internal interface IDiffusionPriorOwner
{
    /// <summary>The trained network of <paramref name="variable"/>'s prior; throws when the model is not trained, is disposed or has no such prior.</summary>
    DiffusionPriorNetwork TrainedDiffusion(LatentVariable variable);

    /// <summary>Whether the model is trained and has a prior of <paramref name="variable"/>.</summary>
    bool HasDiffusion(LatentVariable variable);

    /// <summary>Device and precision.</summary>
    DeviceBackend Backend { get; }

    /// <summary>Where the training data's latent means lie: per dimension, the smallest and largest (null when unknown).</summary>
    (IReadOnlyList<double> Minimum, IReadOnlyList<double> Maximum)? LatentBounds { get; }

    /// <summary>The temperatures the prior was trained at (empty when unknown).</summary>
    IReadOnlyList<double> TrainingTemperatures { get; }

    /// <summary>Receives warnings.</summary>
    ILogger Logger { get; }
}
