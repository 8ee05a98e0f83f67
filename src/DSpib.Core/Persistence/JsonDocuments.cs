using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DSpib.Persistence;

/// <summary>Reading and comparing the JSON manifests of the library's files.</summary>
internal static class JsonDocuments
{
    /// <summary>The path of the first value in which two JSON documents differ, or <see langword="null"/> when they agree.</summary>
    public static string? Difference(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind != actual.ValueKind)
        {
            return path;
        }

        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).Union(actual.EnumerateObject().Select(p => p.Name));
                foreach (var name in names)
                {
                    var hasExpected = expected.TryGetProperty(name, out var left);
                    var hasActual = actual.TryGetProperty(name, out var right);
                    var inner = hasExpected && hasActual ? Difference(left, right, $"{path}.{name}") : $"{path}.{name}";
                    if (inner is not null)
                    {
                        return inner;
                    }
                }

                return null;
            case JsonValueKind.Array:
                var leftItems = expected.EnumerateArray().ToArray();
                var rightItems = actual.EnumerateArray().ToArray();
                if (leftItems.Length != rightItems.Length)
                {
                    return path;
                }

                for (var i = 0; i < leftItems.Length; i++)
                {
                    if (Difference(leftItems[i], rightItems[i], string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]")) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return JsonElement.DeepEquals(expected, actual) ? null : path;
        }
    }

    /// <summary>Deserialises a manifest whose checksum has been verified; content that does not fit the format is corruption.</summary>
    public static T Parse<T>(VerifiedContainer container, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(container.Manifest, type) ?? throw container.Invalid("its manifest is empty.");
        }
        catch (JsonException e)
        {
            throw container.Invalid($"its manifest does not follow the format ({e.Message}).", e);
        }
    }
}
