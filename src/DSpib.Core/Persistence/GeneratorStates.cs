using System.Buffers.Binary;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace DSpib.Persistence;

/// <summary>
/// Checks a random generator's state read from a file before it is given to libtorch. <see cref="Generator.set_state"/>
/// does not turn libtorch's refusal into an exception: a state of the wrong size or type, or an invalid Mersenne
/// Twister state, ends the process. So every rule libtorch applies is applied here first.
/// </summary>
internal static class GeneratorStates
{
    /// <summary>Bytes of libtorch's <c>CPUGeneratorImplState</c>, what <c>get_state</c> returns for a CPU generator.</summary>
    public const int CpuStateBytes = 5056;

    /// <summary>Words of Mersenne Twister state (MT19937's n).</summary>
    private const int MersenneWords = 624;

    /// <summary>Bytes of the CUDA (Philox) state: the seed and the offset, 8 bytes each.</summary>
    private const int CudaStateBytes = 16;

    /// <summary>What is wrong with <paramref name="state"/> as a state of <paramref name="generator"/>, or <see langword="null"/> if libtorch will take it.</summary>
    public static string? Problem(Generator generator, Tensor state)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(state);
        if (state.dtype != ScalarType.Byte || state.Dimensions != 1 || state.device_type != DeviceType.CPU)
        {
            return $"a generator state is a 1-D byte tensor on the CPU, not {state.dtype} [{string.Join(", ", state.shape)}] on {state.device_type}";
        }

        var bytes = state.data<byte>().ToArray();
        if (generator.device.type == DeviceType.CPU)
        {
            if (bytes.Length != CpuStateBytes)
            {
                return string.Create(CultureInfo.InvariantCulture, $"a CPU generator state has {CpuStateBytes} bytes, not {bytes.Length}");
            }

            // The legacy part of the state: seed (8 bytes), left (4), seeded (4), next (8), then the 624 words.
            var left = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
            var seeded = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
            var next = (uint)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16));
            return left is >= 1 and <= MersenneWords && seeded != 0 && next <= MersenneWords
                ? null
                : string.Create(CultureInfo.InvariantCulture, $"its Mersenne Twister state is invalid (left {left}, seeded {seeded}, next {next})");
        }

        if (bytes.Length != CudaStateBytes)
        {
            return string.Create(CultureInfo.InvariantCulture, $"a CUDA generator state has {CudaStateBytes} bytes, not {bytes.Length}");
        }

        var offset = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
        return offset % 4 == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"its Philox offset {offset} is not a multiple of 4");
    }
}
