namespace DSpib.Devices;

/// <summary>The kinds of device a model can live on.</summary>
public enum DeviceKind
{
    /// <summary>The CPU.</summary>
    Cpu,

    /// <summary>An NVIDIA GPU through CUDA.</summary>
    Cuda,
}
