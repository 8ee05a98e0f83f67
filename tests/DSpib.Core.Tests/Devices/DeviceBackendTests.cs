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

        backend.Kind.Should().Be(DeviceKind.Cpu);
        backend.Index.Should().Be(0);
        backend.Name.Should().Be("cpu");
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

    [FactOnLinux]
    public void NativeHeap_RetainFreedMemory_ReusesFreedTensorMemoryInsteadOfMappingFreshPages()
    {
        // The test process asks for the setting at start-up (TestProcessSettings), as an application would.
        NativeHeap.RetainFreedMemory().Should().BeTrue();
        NativeHeap.IsRetainingFreedMemory.Should().BeTrue();

        // An 8 MiB tensor written and freed 40 times: 2,048 fresh pages each time if freed memory went back to the
        // kernel (81,920 minor faults), next to none if the heap keeps it. A tenth of the former is the bound.
        const int repeats = 40;
        const long elements = 2L * 1024 * 1024;
        using (torch.ones(elements))
        {
        }

        var before = MinorPageFaults();
        for (var i = 0; i < repeats; i++)
        {
            using var block = torch.ones(elements);
        }

        var faults = MinorPageFaults() - before;
        faults.Should().BeLessThan(repeats * 2048 / 10, "freed blocks are reused rather than mapped afresh");
    }

    // Field 10 of /proc/self/stat: minor page faults of the whole process.
    private static long MinorPageFaults()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture);
    }
}
