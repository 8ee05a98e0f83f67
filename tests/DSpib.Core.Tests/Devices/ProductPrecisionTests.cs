using System.Runtime.InteropServices;
using DSpib.Core.Tests.Support;
using DSpib.Devices;
using DSpib.Diffusion;
using Microsoft.Extensions.Logging;
using TorchSharp;

namespace DSpib.Core.Tests.Devices;

/// <summary>
/// The float32 product precision of the CPU backend: libtorch's process-wide oneDNN matmul precision, written and read
/// back through the functions libtorch_cpu.so exports. Every test puts the process's setting back as it found it (the
/// test assembly runs its tests one at a time, see AssemblyInfo.cs).
/// </summary>
public sealed class ProductPrecisionTests : IDisposable
{
    // Stand-ins for at::cpu::is_avx512_supported(), kept alive for the native calls through them.
    private static readonly ProductPrecisionSwitch.CpuFeature Yes = () => 1;
    private static readonly ProductPrecisionSwitch.CpuFeature No = () => 0;

    private readonly int? _before = ProductPrecisionSwitch.LibTorch.Current();

    public void Dispose()
    {
        if (_before is int before)
        {
            ProductPrecisionSwitch.LibTorch.Restore(before);
        }
    }

    [FactOnLinux]
    public void LibTorch_ExportsTheSwitch_AndStartsWithExactProducts()
    {
        _before.Should().NotBeNull("libtorch 2.10 exports at::Context::float32Precision");
        _before.Should().BeOneOf(ProductPrecisionSwitch.InheritedPrecision, ProductPrecisionSwitch.IeeePrecision);
    }

    [FactOnLinux]
    public void Fast_OnThisMachine_TakesEffectExactlyWhereTheCpuHasAvx512_AndProductsStayAccurate()
    {
        var logger = new RecordingLogger();
        var backend = DeviceBackend.Cpu(products: ProductPrecision.FastFloat32, logger: logger);

        backend.Activate();

        if (CpuHasAvx512())
        {
            backend.ProductsInEffect.Should().Be(ProductPrecision.FastFloat32);
            ProductPrecisionSwitch.LibTorch.Current().Should().Be(ProductPrecisionSwitch.BFloat16Precision);
            logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Information);
        }
        else
        {
            backend.ProductsInEffect.Should().Be(ProductPrecision.Exact);
            ProductPrecisionSwitch.LibTorch.Current().Should().Be(_before, "a CPU that cannot take the fast path leaves the setting alone");
            logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Warning && m.Message.Contains("AVX-512", StringComparison.Ordinal));
        }

        // The score network's shape. Exact float32 with 64-term sums: about 1e-7 (measured 1.4e-7). Operands rounded to
        // bfloat16 (8 significant bits, unit roundoff 2^-9 = 2e-3) with float32 accumulation: each product carries
        // two such roundings of independent sign, so about 3e-3 relative to the result's norm; 1e-2 leaves room
        // without admitting a wrong result (which would be of order 1).
        var error = RelativeProductError(8192, 64, 64);
        error.Should().BeLessThan(backend.ProductsInEffect == ProductPrecision.FastFloat32 ? 1e-2 : 1e-5);
    }

    [FactOnLinux]
    public void Switch_WhereTheCpuQualifies_WritesLibTorchsPrecisionAndReadsItBack()
    {
        // libtorch's own functions, with the CPU question answered yes: proves the pinned names and enumeration
        // values on this machine whatever its CPU.
        var sut = SwitchWith(cpuFeature: Yes);

        var fast = sut.Apply(ProductPrecision.FastFloat32);

        // The values are written out: 3 is at::Float32Precision::BF16 and 1 IEEE in libtorch 2.10 (at::precision2str
        // names them "bf16" and "ieee"), so a wrong constant in the switch fails here.
        fast.Should().Be(new ProductPrecisionOutcome(ProductPrecision.FastFloat32, null, false));
        sut.Current().Should().Be(3);
        ProductPrecisionSwitch.LibTorch.Current().Should().Be(ProductPrecisionSwitch.BFloat16Precision, "the setting is libtorch's, for the whole process");

        var exact = sut.Apply(ProductPrecision.Exact);

        exact.Should().Be(ProductPrecisionOutcome.Exact);
        sut.Current().Should().Be(1);
    }

    [FactOnLinux]
    public void Default_LeavesTheProcessWideSettingAlone_AndTakesBFloat16ScoreNetworkProductsWhereTheCpuHasThem()
    {
        SwitchWith(cpuFeature: Yes).Apply(ProductPrecision.FastFloat32);
        var logger = new RecordingLogger();
        var backend = DeviceBackend.Cpu(logger: logger);

        backend.Activate();

        backend.Products.Should().BeNull();
        backend.ProductsInEffect.Should().Be(CpuHas("avx512_bf16") && CpuVendor.Current != CpuVendor.Intel ? ProductPrecision.BFloat16 : null);
        ProductPrecisionSwitch.LibTorch.Current().Should().Be(ProductPrecisionSwitch.BFloat16Precision);
        logger.Messages.Should().OnlyContain(m => m.Level == LogLevel.Debug, "the default's choice is no news");
    }

    [FactOnLinux]
    public void Default_TakesBFloat16OnAnAmdCpuWithAvx512Bf16_ButNotOnAnIntelOne_WhereMklIsFaster()
    {
        var logger = new RecordingLogger();
        var amd = new CpuBackend(null, TensorPrecision.Float32, null, logger, SwitchWith(cpuFeature: Yes, standsInFor: LibTorchSymbols.Default.CpuHasAvx512BFloat16), "AuthenticAMD");
        var intel = new CpuBackend(null, TensorPrecision.Float32, null, logger, SwitchWith(cpuFeature: Yes, standsInFor: LibTorchSymbols.Default.CpuHasAvx512BFloat16), CpuVendor.Intel);
        var intelAsked = new CpuBackend(null, TensorPrecision.Float32, ProductPrecision.BFloat16, logger, SwitchWith(cpuFeature: Yes, standsInFor: LibTorchSymbols.Default.CpuHasAvx512BFloat16), CpuVendor.Intel);

        amd.Activate();
        intel.Activate();
        intelAsked.Activate();

        amd.ProductsInEffect.Should().Be(ProductPrecision.BFloat16);
        amd.ReducedProductType.Should().Be(torch.ScalarType.BFloat16);
        intel.ProductsInEffect.Should().BeNull();
        intel.ReducedProductType.Should().BeNull();
        intelAsked.ProductsInEffect.Should().Be(ProductPrecision.BFloat16, "asking for bfloat16 products gets them on any CPU that has them");
        logger.Messages.Should().Contain(m => m.Level == LogLevel.Debug && m.Message.Contains("Intel", StringComparison.Ordinal));
    }

    [Fact]
    public void CpuVendor_IsTheTwelveCharacterCpuidName()
    {
        CpuVendor.Current.Should().Match(v => v == "unknown" || v.Length == 12);
        if (File.Exists("/proc/cpuinfo"))
        {
            File.ReadAllText("/proc/cpuinfo").Should().Contain($"vendor_id\t: {CpuVendor.Current}");
        }
    }

    [FactOnLinux]
    public void Default_OnACpuWithoutAvx512Bf16_OrForFloat64_ComputesInTheModelsType_Silently()
    {
        var logger = new RecordingLogger();
        var withoutBFloat16 = new CpuBackend(null, TensorPrecision.Float32, null, logger, SwitchWith(cpuFeature: No, standsInFor: LibTorchSymbols.Default.CpuHasAvx512BFloat16));
        var float64 = new CpuBackend(null, TensorPrecision.Float64, null, logger, SwitchWith(cpuFeature: Yes, standsInFor: LibTorchSymbols.Default.CpuHasAvx512BFloat16));

        withoutBFloat16.Activate();
        float64.Activate();

        withoutBFloat16.ProductsInEffect.Should().BeNull();
        withoutBFloat16.ReducedProductType.Should().BeNull();
        float64.ProductsInEffect.Should().BeNull();
        float64.ReducedProductType.Should().BeNull();
        logger.Messages.Should().HaveCount(2).And.OnlyContain(m => m.Level == LogLevel.Debug);
    }

    [FactOnLinux]
    public void Exact_TurnsTheDefaultsBFloat16ScoreNetworkProductsOff()
    {
        var backend = new CpuBackend(null, TensorPrecision.Float32, ProductPrecision.Exact, null, SwitchWith(cpuFeature: Yes, standsInFor: LibTorchSymbols.Default.CpuHasAvx512BFloat16));

        backend.Activate();

        backend.ProductsInEffect.Should().Be(ProductPrecision.Exact);
        backend.ReducedProductType.Should().BeNull();
    }

    [FactOnLinux]
    public void Exact_PutsBackExactProductsAfterTheProcessWasSetToFastOnes()
    {
        SwitchWith(cpuFeature: Yes).Apply(ProductPrecision.FastFloat32);
        var backend = DeviceBackend.Cpu(products: ProductPrecision.Exact);

        backend.Activate();

        backend.ProductsInEffect.Should().Be(ProductPrecision.Exact);
        ProductPrecisionSwitch.LibTorch.Current().Should().Be(ProductPrecisionSwitch.IeeePrecision);
    }

    [FactOnLinux]
    public void MissingSymbol_FallsBackToExactProducts_AndLogsOnceNamingIt()
    {
        var symbols = LibTorchSymbols.Default with { SetFloat32Precision = "_ZN2at7Context23setFloat32PrecisionGoneEv" };
        var productSwitch = new ProductPrecisionSwitch(symbols, ProductPrecisionSwitch.ResolveInLibTorch);
        var logger = new RecordingLogger();
        var backend = new CpuBackend(null, TensorPrecision.Float32, ProductPrecision.FastFloat32, logger, productSwitch);

        backend.Activate();
        backend.Activate();

        backend.ProductsInEffect.Should().Be(ProductPrecision.Exact);
        productSwitch.Current().Should().BeNull();
        logger.Messages.Should().ContainSingle().Which.Should().Match<(LogLevel Level, string Message)>(
            m => m.Level == LogLevel.Warning && m.Message.Contains("setFloat32PrecisionGone", StringComparison.Ordinal));
        ProductPrecisionSwitch.LibTorch.Current().Should().Be(_before);
    }

    [FactOnLinux]
    public void CpuWithoutAvx512_KeepsExactProducts_SayingWhy()
    {
        var logger = new RecordingLogger();
        var backend = new CpuBackend(null, TensorPrecision.Float32, ProductPrecision.FastFloat32, logger, SwitchWith(cpuFeature: No));

        backend.Activate();

        backend.ProductsInEffect.Should().Be(ProductPrecision.Exact);
        logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Warning && m.Message.Contains("no AVX-512", StringComparison.Ordinal));
        ProductPrecisionSwitch.LibTorch.Current().Should().Be(_before);
    }

    [FactOnLinux]
    public void BFloat16_OnThisMachine_TakesEffectExactlyWhereTheCpuHasAvx512Bf16_LeavingTheProcessSettingAlone()
    {
        SwitchWith(cpuFeature: Yes).Apply(ProductPrecision.FastFloat32);
        var logger = new RecordingLogger();
        var backend = DeviceBackend.Cpu(products: ProductPrecision.BFloat16, logger: logger);

        backend.Activate();

        using var prior = NetworkFactory.DiffusionPrior(DiffusionPriorOptions.Default, 2, 1.0, backend);
        if (CpuHas("avx512_bf16"))
        {
            backend.ProductsInEffect.Should().Be(ProductPrecision.BFloat16);
            backend.ReducedProductType.Should().Be(torch.ScalarType.BFloat16);
            prior.ReducedProducts.Should().Be(torch.ScalarType.BFloat16, "networks built on the backend take its product type");
            logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Information);
        }
        else
        {
            backend.ProductsInEffect.Should().Be(ProductPrecision.Exact);
            backend.ReducedProductType.Should().BeNull();
            prior.ReducedProducts.Should().BeNull();
            logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Warning && m.Message.Contains("AVX512_BF16", StringComparison.Ordinal));
        }

        // Either way the process's float32 products keep their setting: bfloat16 is the score network's alone.
        ProductPrecisionSwitch.LibTorch.Current().Should().Be(ProductPrecisionSwitch.BFloat16Precision);
    }

    [FactOnLinux]
    public void BFloat16_OnACpuWithoutAvx512Bf16_KeepsExactProducts_SayingWhy()
    {
        var logger = new RecordingLogger();
        var productSwitch = SwitchWith(cpuFeature: No, standsInFor: LibTorchSymbols.Default.CpuHasAvx512BFloat16);
        var backend = new CpuBackend(null, TensorPrecision.Float32, ProductPrecision.BFloat16, logger, productSwitch);

        backend.Activate();

        backend.ProductsInEffect.Should().Be(ProductPrecision.Exact);
        backend.ReducedProductType.Should().BeNull();
        logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Warning && m.Message.Contains("no AVX512_BF16", StringComparison.Ordinal));
    }

    [FactOnLinux]
    public void BFloat16_ForAFloat64Backend_KeepsExactProducts_SayingWhy()
    {
        var logger = new RecordingLogger();
        var backend = new CpuBackend(null, TensorPrecision.Float64, ProductPrecision.BFloat16, logger, SwitchWith(cpuFeature: Yes, standsInFor: LibTorchSymbols.Default.CpuHasAvx512BFloat16));

        backend.Activate();

        backend.ProductsInEffect.Should().Be(ProductPrecision.Exact);
        backend.ReducedProductType.Should().BeNull();
        logger.Messages.Should().ContainSingle(m => m.Level == LogLevel.Warning && m.Message.Contains("float64", StringComparison.Ordinal));
    }

    [Fact]
    public void UndefinedProductPrecision_IsRefusedNamingTheSetting()
    {
        var act = () => DeviceBackend.Cpu(products: (ProductPrecision)7);

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("products");
    }

    /// <summary>libtorch's switch with one CPU question (AVX-512 unless <paramref name="standsInFor"/> names another) answered by <paramref name="cpuFeature"/>.</summary>
    private static ProductPrecisionSwitch SwitchWith(ProductPrecisionSwitch.CpuFeature cpuFeature, string? standsInFor = null)
    {
        var standIn = Marshal.GetFunctionPointerForDelegate(cpuFeature);
        var symbol = standsInFor ?? LibTorchSymbols.Default.CpuHasAvx512;
        return new ProductPrecisionSwitch(
            LibTorchSymbols.Default,
            name => name == symbol ? standIn : ProductPrecisionSwitch.ResolveInLibTorch(name));
    }

    // What libtorch's oneDNN path asks of the CPU (AVX512F, BW, VL and DQ), read independently of libtorch.
    private static bool CpuHasAvx512() => CpuHas("avx512f", "avx512bw", "avx512vl", "avx512dq");

    private static bool CpuHas(params string[] features)
    {
        var flags = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(' ') ?? [];
        return features.All(flags.Contains);
    }

    private static double RelativeProductError(long rows, long inner, long columns)
    {
        using var scope = torch.NewDisposeScope();
        var generator = new torch.Generator(7);
        var a = torch.randn([rows, inner], generator: generator);
        var b = torch.randn([inner, columns], generator: generator);
        var product = torch.mm(a, b).to(torch.ScalarType.Float64);
        var exact = torch.mm(a.to(torch.ScalarType.Float64), b.to(torch.ScalarType.Float64));
        return ((product - exact).norm() / exact.norm()).item<double>();
    }
}
