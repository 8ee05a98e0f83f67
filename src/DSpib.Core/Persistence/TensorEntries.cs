using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Persistence;

/// <summary>
/// Named tensors in TorchSharp's state-dictionary format, the one <c>nn.Module.save</c> writes and <c>load</c> reads:
/// an entry count, then per tensor its name, element type, shape and raw (native little-endian) bytes. Weights are
/// written with TorchSharp's own writer, so a module's entry loads into the same module with <c>module.load</c>;
/// they are read back here with every field checked, into tensors of the precision the model is loaded in.
/// </summary>
internal static class TensorEntries
{
    private const int MaxRank = 8;

    /// <summary>The parameters and persistent buffers of <paramref name="module"/>.</summary>
    public static byte[] Write(nn.Module module)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            module.save(writer);
        }

        return stream.ToArray();
    }

    /// <summary>Named tensors (copied to contiguous CPU tensors first).</summary>
    public static byte[] Write(IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var scope = NewDisposeScope();
        var state = tensors.ToDictionary(t => t.Key, t => t.Value.detach().cpu().contiguous(), StringComparer.Ordinal);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            nn.Module.save_state_dict(writer, state);
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Copies the tensors of entry <paramref name="name"/> into the parameters and buffers of <paramref name="module"/>,
    /// converting from <paramref name="storedType"/> to the module's type. Names and shapes must match exactly.
    /// </summary>
    public static void LoadInto(nn.Module module, VerifiedContainer container, string name, ScalarType storedType)
    {
        var stored = Read(container, name);
        try
        {
            var target = module.state_dict();
            foreach (var key in target.Keys.Where(k => !stored.ContainsKey(k)))
            {
                throw container.Invalid($"the entry '{name}' lacks the tensor '{key}'.");
            }

            foreach (var (key, tensor) in stored)
            {
                if (!target.TryGetValue(key, out var destination))
                {
                    throw container.Invalid($"the entry '{name}' has the tensor '{key}', which the model does not.");
                }

                if (!tensor.shape.SequenceEqual(destination.shape) || tensor.dtype != storedType)
                {
                    throw container.Invalid($"the tensor '{key}' of '{name}' is {tensor.dtype} [{string.Join(", ", tensor.shape)}], not {storedType} [{string.Join(", ", destination.shape)}].");
                }

                using var noGrad = no_grad();
                destination.copy_(tensor);
            }
        }
        finally
        {
            foreach (var tensor in stored.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>Reads the named tensors of an entry as CPU tensors; the caller disposes them.</summary>
    public static Dictionary<string, Tensor> Read(VerifiedContainer container, string name)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var bytes = container.Entry(name);
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
            var count = reader.Read7BitEncodedInt64();
            if (count < 0 || count > bytes.Length)
            {
                throw container.Invalid($"the entry '{name}' claims {count} tensors.");
            }

            for (long i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                var type = (ScalarType)reader.Read7BitEncodedInt64();
                var size = ElementSize(type) ?? throw container.Invalid($"the tensor '{key}' of '{name}' has the unsupported element type {type}.");
                var rank = reader.Read7BitEncodedInt64();
                if (rank is < 0 or > MaxRank)
                {
                    throw container.Invalid(string.Create(CultureInfo.InvariantCulture, $"the tensor '{key}' of '{name}' claims {rank} dimensions."));
                }

                var shape = new long[rank];
                var elements = 1L;
                for (var d = 0; d < rank; d++)
                {
                    shape[d] = reader.Read7BitEncodedInt64();
                    elements = shape[d] >= 0 && shape[d] <= bytes.Length ? elements * shape[d] : long.MaxValue;
                    if (elements > bytes.Length)
                    {
                        throw container.Invalid($"the tensor '{key}' of '{name}' claims more data than the entry holds.");
                    }
                }

                if (elements * size > stream.Length - stream.Position || result.ContainsKey(key))
                {
                    throw container.Invalid($"the tensor '{key}' of '{name}' is cut short or repeated.");
                }

                var tensor = empty(shape, dtype: type);
                result[key] = tensor;
                tensor.ReadBytesFromStream(stream);
            }

            if (stream.Position != stream.Length)
            {
                throw container.Invalid($"the entry '{name}' has {stream.Length - stream.Position} bytes after its tensors.");
            }

            return result;
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or IOException and not ModelFileException)
        {
            Dispose(result);
            throw container.Invalid($"the entry '{name}' cannot be decoded ({e.Message}).", e);
        }
        catch
        {
            Dispose(result);
            throw;
        }
    }

    private static void Dispose(Dictionary<string, Tensor> tensors)
    {
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }

    private static int? ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte => 1,
        ScalarType.Int64 => 8,
        ScalarType.Float32 => 4,
        ScalarType.Float64 => 8,
        _ => null,
    };
}
