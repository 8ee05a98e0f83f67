using System.Text.Json;
using System.Text.Json.Serialization;

namespace DSpib.Samples;

/// <summary>Machine-readable results: <c>summary.json</c> with camel-case names and infinities spelled out.</summary>
public static class ResultFiles
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Writes <paramref name="value"/> as indented JSON to <paramref name="path"/>, replacing the file only once it is complete.</summary>
    /// <typeparam name="T">The summary's type.</typeparam>
    /// <param name="path">The file.</param>
    /// <param name="value">The summary.</param>
    public static void WriteJson<T>(string path, T value)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(value, Options));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads a summary written by <see cref="WriteJson{T}"/>.</summary>
    /// <typeparam name="T">The summary's type.</typeparam>
    /// <param name="path">The file.</param>
    public static T ReadJson<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} holds no summary.");
}
