using System.Text.Json;

namespace DSpib.Persistence;

/// <summary>A kind of DSpib file: its format name, the newest version this library writes and reads, and how to name it.</summary>
internal sealed record FileFormat(string Name, int Version, string Description)
{
    public static FileFormat Model { get; } = new("dspib-model", 1, "model file");

    public static FileFormat Checkpoint { get; } = new("dspib-checkpoint", 1, "training checkpoint");

    public static bool IsKnown(string format) => format == Model.Name || format == Checkpoint.Name;

    /// <summary>What a file of <paramref name="format"/> is, for the message when another kind was expected.</summary>
    public static string Describe(string format) =>
        format == Model.Name ? "it is a DSpib model file; load it with DSpibModel.Load."
        : format == Checkpoint.Name ? "it is a training checkpoint; continue training from it with Trainer.Resume, then save the trained model."
        : $"its manifest names the format '{format}'.";
}

/// <summary>The first fields of a manifest, read leniently so that foreign and newer files get a precise message.</summary>
internal readonly record struct FormatHeader(string Format, int Version, string LibraryVersion)
{
    /// <returns><see langword="null"/> when the bytes are not a JSON object with a format name and version.</returns>
    public static FormatHeader? TryRead(byte[] manifest)
    {
        try
        {
            using var document = JsonDocument.Parse(manifest);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String
                && root.TryGetProperty("formatVersion", out var version) && version.TryGetInt32(out var number))
            {
                var library = root.TryGetProperty("libraryVersion", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "unknown";
                return new FormatHeader(format.GetString()!, number, library);
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
