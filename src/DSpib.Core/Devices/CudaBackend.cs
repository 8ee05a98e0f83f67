using TorchSharp;

namespace DSpib.Devices;

/// <summary>Runs models on one CUDA device.</summary>
public sealed class CudaBackend : DeviceBackend
{
    internal CudaBackend(int index, TensorPrecision precision)
        : base(DeviceKind.Cuda, EnsureAvailable(index), precision)
    {
    }

    private static int EnsureAvailable(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (!IsRuntimeAvailable(out var reason))
        {
            throw new DeviceUnavailableException($"CUDA device {index} was requested but {reason}. Use DeviceBackend.Cpu() or DeviceBackend.Auto() on this machine.");
        }

        var count = torch.cuda.device_count();
        if (index >= count)
        {
            throw new DeviceUnavailableException($"CUDA device {index} was requested but only {count} CUDA device(s) are present (valid indices 0..{count - 1}).");
        }

        return index;
    }

    /// <summary>Whether libtorch can use CUDA here; when not, <paramref name="reason"/> says what is missing.</summary>
    internal static bool IsRuntimeAvailable(out string reason)
    {
        bool available;
        try
        {
            available = torch.cuda.is_available();
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or NotSupportedException)
        {
            reason = $"libtorch could not be loaded ({ex.Message})";
            return false;
        }

        reason = available
            ? string.Empty
            : "no CUDA runtime is available: the application references a CPU-only libtorch package (add a libtorch-cuda package instead of libtorch-cpu) or no NVIDIA driver and device are present";
        return available;
    }
}
