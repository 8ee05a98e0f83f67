using DSpib.Core.Tests.Support;
using DSpib.Devices;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace DSpib.Core.Tests.Devices;

public class DeviceBackendTests
{
    [Fact]
    public void Cpu_Defaults_ToFloat32OnTheCpuWithoutTouchingThreads()
    {
        var before = torch.get_num_threads();
        var backend = DeviceBackend.Cpu();

        backend.Activate();

        backend.Device.type.Should().Be(DeviceType.CPU);
        backend.Precision.Should().Be(TensorPrecision.Float32);
        backend.ScalarType.Should().Be(torch.ScalarType.Float32);
        backend.Threads.Should().BeNull();
        torch.get_num_threads().Should().Be(before);
    }

    [Fact]
    public void Cpu_WithThreads_AppliesThemOnActivate()
    {
        var before = torch.get_num_threads();
        try
        {
            DeviceBackend.Cpu(threads: 1).Activate();
            torch.get_num_threads().Should().Be(1);
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }

    [Fact]
    public void Cpu_WithZeroThreads_ThrowsNamingThreads()
    {
        var act = () => DeviceBackend.Cpu(threads: 0);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("threads");
    }

    [Fact]
    public void Cpu_Float64_UsesDoubleTensors()
    {
        DeviceBackend.Cpu(precision: TensorPrecision.Float64).ScalarType.Should().Be(torch.ScalarType.Float64);
    }

    [FactWithoutCuda]
    public void Cuda_WithoutACudaRuntime_ThrowsSayingWhatIsMissing()
    {
        var act = () => DeviceBackend.Cuda();

        act.Should().Throw<DeviceUnavailableException>()
            .WithMessage("*CUDA device 0*no CUDA runtime*libtorch-cuda*");
    }

    [FactWithoutCuda]
    public void Auto_WithoutCuda_ChoosesTheCpuAndLogsWhy()
    {        var logger = new RecordingLogger();

        var backend = DeviceBackend.Auto(logger);

        backend.Should().BeOfType<CpuBackend>();
        logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Information && m.Message.Contains("cpu", StringComparison.Ordinal) && m.Message.Contains("no CUDA runtime", StringComparison.Ordinal));
    }
}
