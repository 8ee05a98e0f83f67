using System.Text.Json;
using DSpib.Data.IO;
using DSpib.Devices;
using DSpib.Diffusion;
using DSpib.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DSpib;

/// <summary>
/// The model file: one zip container with a JSON manifest (format and library versions, the builder settings, the
/// trained network's shapes, precision and standardiser, what training found, and the SHA-256 of every other entry)
/// and the TorchSharp weights of every module.
/// </summary>
internal static class ModelFile
{
    /// <summary>Saves atomically: a failed save leaves any previous file at <paramref name="path"/> as it was.</summary>
    /// <param name="model">A trained model.</param>
    /// <param name="path">Target file.</param>
    /// <param name="afterEntryWritten">Test hook called after each entry is written.</param>
    public static void Save(DSpibModel model, string path, Action<string>? afterEntryWritten = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var entries = Entries(model);
        AtomicFile.Write(path, stream => Write(model, entries, stream, afterEntryWritten));
    }

    public static void Save(DSpibModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite)
        {
            throw new ArgumentException("The stream is not writable.", nameof(stream));
        }

        Write(model, Entries(model), stream, afterEntryWritten: null);
    }

    public static DSpibModel Load(string path, DeviceBackend? backend, TemperatureLaw? temperatureLaw, ILogger? logger)
    {
        var what = $"The model file '{path}'";
        using var stream = Container.OpenRead(path, what);
        return Load(stream, what, backend, temperatureLaw, logger);
    }

    public static DSpibModel Load(Stream stream, string what, DeviceBackend? backend, TemperatureLaw? temperatureLaw, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        var container = Container.Read(stream, what, FileFormat.Model);
        var manifest = JsonDocuments.Parse(container, ModelJson.Default.ModelManifest);
        container.VerifyEntries(manifest.Entries);
        backend ??= DeviceBackend.Cpu(precision: manifest.Network.Precision);
        backend.Activate();

        var options = ModelSettings.ToOptions(manifest.Model, temperatureLaw, container);
        var model = new DSpibModel(options, backend, logger ?? NullLogger.Instance);
        try
        {
            var network = NetworkEntries.Read(container, manifest.Network, options, backend);
            model.Attach(network);
            model.SetTrainingOutcome(FromDescription(manifest.Training, network, container));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public static TrainingOutcomeDescription ToDescription(TrainingOutcome outcome) => new(
        outcome.StatePopulations.ToArray(),
        outcome.Refinements.Select(ToDescription).ToArray(),
        outcome.StopReason,
        outcome.Epochs,
        outcome.Temperatures.ToArray(),
        outcome.LatentMinimum.ToArray(),
        outcome.LatentMaximum.ToArray());

    public static RefinementDescription ToDescription(RefinementRecord r) => new(r.Round, r.Epoch, r.StatesBefore, r.StatesAfter, r.ChangedFraction, r.IsFinal);

    public static RefinementRecord FromDescription(RefinementDescription r) => new(r.Round, r.Epoch, r.StatesBefore, r.StatesAfter, r.ChangedFraction, r.IsFinal);

    /// <summary>The training outcome a file holds, checked against the network it describes.</summary>
    private static TrainingOutcome FromDescription(TrainingOutcomeDescription stored, ModelNetwork network, VerifiedContainer container)
    {
        var populations = stored.StatePopulations;
        if (populations.Length != network.StateCount || populations.Any(p => !(p >= 0 && p <= 1)))
        {
            throw container.Invalid($"it has {populations.Length} state populations for {network.StateCount} states, or populations outside [0, 1].");
        }

        var latentDimension = network.Encoder.LatentDimension;
        var minimum = stored.LatentMinimum ?? [];
        var maximum = stored.LatentMaximum ?? [];
        if (minimum.Length != maximum.Length || (minimum.Length != 0 && minimum.Length != latentDimension) || minimum.Zip(maximum).Any(b => !(b.First <= b.Second) || !double.IsFinite(b.Second - b.First)))
        {
            throw container.Invalid("its latent range does not fit the latent space.");
        }

        if (stored.StopReason is { } reason && !Enum.IsDefined(reason) || stored.Epochs is < 0 || (stored.Temperatures ?? []).Any(t => !(t > 0 && double.IsFinite(t))))
        {
            throw container.Invalid("its training outcome has an unknown stop reason, a negative epoch count or a temperature that is not positive.");
        }

        return new TrainingOutcome
        {
            StopReason = stored.StopReason ?? TrainingStopReason.NotRecorded,
            Epochs = stored.Epochs ?? 0,
            Refinements = stored.Refinements.Select(FromDescription).ToArray(),
            StatePopulations = populations,
            Temperatures = stored.Temperatures ?? [],
            LatentMinimum = minimum,
            LatentMaximum = maximum,
        };
    }

    private static List<(string Name, byte[] Bytes)> Entries(DSpibModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsTrained)
        {
            throw new InvalidOperationException("The model is not trained, so there is nothing to save: train it with Trainer.Create()...Build().Fit(model, data, labels) first.");
        }

        return NetworkEntries.Write(model.Network);
    }

    private static void Write(DSpibModel model, List<(string Name, byte[] Bytes)> entries, Stream stream, Action<string>? afterEntryWritten)
    {
        var network = model.Network;
        Container.Write(stream, entries, checksums => JsonSerializer.SerializeToUtf8Bytes(
            new ModelManifest(
                FileFormat.Model.Name,
                FileFormat.Model.Version,
                Container.LibraryVersion,
                ModelSettings.Describe(model.Options, network.InputDimension),
                NetworkEntries.Describe(network),
                ToDescription(model.Training!),
                checksums),
            ModelJson.Default.ModelManifest), afterEntryWritten);
    }
}
