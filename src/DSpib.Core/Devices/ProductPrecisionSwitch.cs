using System.Runtime.InteropServices;
using TorchSharp;

namespace DSpib.Devices;

/// <summary>
/// The one place the library calls into libtorch past TorchSharp: libtorch's process-wide float32 precision of oneDNN
/// matrix products, read and written through the C++ functions <c>libtorch_cpu.so</c> exports (TorchSharp does not wrap
/// them). Every step is checked: the functions must be found, the CPU must have what libtorch needs to take the oneDNN
/// path, and the precision must read back as written; otherwise products stay exact and the outcome says why.
/// </summary>
/// <remarks>
/// The entry points are <c>at::globalContext()</c>, <c>at::Context::setFloat32Precision(Float32Backend, Float32Op,
/// Float32Precision)</c>, <c>at::Context::float32Precision(Float32Backend, Float32Op) const</c> and
/// <c>at::cpu::is_avx512_supported()</c> (with <c>at::cpu::is_avx512_bf16_supported()</c> for bfloat16 products); the enumerations cross the ABI as <c>int</c>, with the values of libtorch 2.10
/// (the version TorchSharp 0.107 runs on). The string setter <c>setFloat32MatmulPrecision</c> is not used: a
/// <c>std::string</c> does not cross the ABI safely. The symbol lookup is a constructor argument so that tests can give
/// a wrong name or stand in for a CPU feature.
/// </remarks>
internal sealed class ProductPrecisionSwitch
{
    // at::Float32Backend { GENERIC, CUDA, MKLDNN }, at::Float32Op { ALL, CONV, RNN, MATMUL } and
    // at::Float32Precision { NONE, IEEE, TF32, BF16 } in ATen/Context.h of libtorch 2.10, as int. Checked against the
    // library itself: at::precision2str names 0-3 "none", "ieee", "tf32", "bf16", and setFloat32MatmulPrecision("medium")
    // reads back as 3 at (2, 3) and 2 at (1, 3). The getter throws a C++ exception for a pair it does not know, which
    // would end the process: only (OneDnnBackend, MatmulOp) is ever passed.
    internal const int OneDnnBackend = 2;
    internal const int MatmulOp = 3;
    internal const int InheritedPrecision = 0;
    internal const int IeeePrecision = 1;
    internal const int TensorFloat32Precision = 2;
    internal const int BFloat16Precision = 3;

    private readonly Func<string, nint> _resolve;
    private readonly Lazy<EntryPoints> _entryPoints;
    private readonly object _gate = new();

    /// <summary>A switch over the functions named by <paramref name="symbols"/>, found by <paramref name="resolve"/> (0 when missing).</summary>
    internal ProductPrecisionSwitch(LibTorchSymbols symbols, Func<string, nint> resolve)
    {
        Symbols = symbols;
        _resolve = resolve;
        _entryPoints = new Lazy<EntryPoints>(Bind, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The switch of the libtorch this process runs (TorchSharp's).</summary>
    public static ProductPrecisionSwitch LibTorch { get; } = new(LibTorchSymbols.Default, ResolveInLibTorch);

    /// <summary>The functions this switch calls.</summary>
    public LibTorchSymbols Symbols { get; }

    /// <summary>
    /// Sets libtorch's float32 product precision to <paramref name="requested"/>, or leaves products exact and says why.
    /// Asking for <see cref="ProductPrecision.Exact"/> writes only when the process is set to reduced-precision products.
    /// </summary>
    public ProductPrecisionOutcome Apply(ProductPrecision requested)
    {
        var entry = _entryPoints.Value;
        lock (_gate)
        {
            if (entry.Missing is not null)
            {
                // Without the switch libtorch's products are its default, exact ones.
                return requested == ProductPrecision.Exact
                    ? ProductPrecisionOutcome.Exact
                    : ProductPrecisionOutcome.Fallback($"libtorch does not export {entry.Missing}", unexpected: true);
            }

            var context = entry.GlobalContext!();
            var before = entry.Get!(context, OneDnnBackend, MatmulOp);
            if (requested == ProductPrecision.Exact)
            {
                if (IsReduced(before))
                {
                    return SetAndReadBack(entry, context, IeeePrecision, before, ProductPrecision.Exact);
                }

                return ProductPrecisionOutcome.Exact;
            }

            if (requested == ProductPrecision.BFloat16)
            {
                // The bfloat16 products are the score network's own: nothing process-wide is written.
                return entry.HasAvx512BFloat16
                    ? new ProductPrecisionOutcome(ProductPrecision.BFloat16, null, false)
                    : ProductPrecisionOutcome.Fallback("this CPU has no AVX512_BF16, which fast bfloat16 products need", unexpected: false);
            }

            if (!entry.HasAvx512)
            {
                return ProductPrecisionOutcome.Fallback("this CPU has no AVX-512 (AVX512F/BW/VL/DQ), which libtorch's oneDNN products need", unexpected: false);
            }

            return SetAndReadBack(entry, context, BFloat16Precision, before, ProductPrecision.FastFloat32);
        }
    }

    /// <summary>
    /// The process's effective oneDNN float32 product precision as libtorch reports it (an at::Float32Precision value),
    /// or <see langword="null"/> when the functions are missing.
    /// </summary>
    public int? Current()
    {
        var entry = _entryPoints.Value;
        lock (_gate)
        {
            return entry.Missing is null ? entry.Get!(entry.GlobalContext!(), OneDnnBackend, MatmulOp) : null;
        }
    }

    /// <summary>
    /// Writes a raw at::Float32Precision value read by <see cref="Current"/> back, to leave the process as it was found
    /// (tests); does nothing when the functions are missing.
    /// </summary>
    internal void Restore(int precision)
    {
        var entry = _entryPoints.Value;
        lock (_gate)
        {
            if (entry.Missing is null)
            {
                entry.Set!(entry.GlobalContext!(), OneDnnBackend, MatmulOp, precision);
            }
        }
    }

    /// <summary>The libtorch precision values that allow reduced-precision products (TF32 or BF16).</summary>
    private static bool IsReduced(int precision) => precision is TensorFloat32Precision or BFloat16Precision;

    private static ProductPrecisionOutcome SetAndReadBack(EntryPoints entry, nint context, int precision, int before, ProductPrecision target)
    {
        entry.Set!(context, OneDnnBackend, MatmulOp, precision);
        var after = entry.Get!(context, OneDnnBackend, MatmulOp);
        if (after == precision)
        {
            return new ProductPrecisionOutcome(target, null, false);
        }

        // The write did not take: put back what was there, so that the process is left as it was found.
        entry.Set!(context, OneDnnBackend, MatmulOp, before);
        var reason = $"libtorch's float32 product precision read back as {after} after setting it to {precision}";
        return IsReduced(after) ? new ProductPrecisionOutcome(ProductPrecision.FastFloat32, reason, true) : ProductPrecisionOutcome.Fallback(reason, unexpected: true);
    }

    /// <summary>Finds an exported function of the libtorch_cpu.so that TorchSharp loaded, or 0.</summary>
    internal static nint ResolveInLibTorch(string symbol)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        // Load TorchSharp's native backend first: by name, the loader then returns the libtorch_cpu.so already in the
        // process rather than looking for another copy.
        torch.InitializeDeviceType(DeviceType.CPU);
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", typeof(torch).Assembly, null, out var library))
        {
            return 0;
        }

        return NativeLibrary.TryGetExport(library, symbol, out var address) ? address : 0;
    }

    private EntryPoints Bind()
    {
        var globalContext = _resolve(Symbols.GlobalContext);
        var set = _resolve(Symbols.SetFloat32Precision);
        var get = _resolve(Symbols.Float32Precision);
        var avx512 = _resolve(Symbols.CpuHasAvx512);
        var avx512BFloat16 = _resolve(Symbols.CpuHasAvx512BFloat16);
        var missing = new[] { (globalContext, Symbols.GlobalContext), (set, Symbols.SetFloat32Precision), (get, Symbols.Float32Precision), (avx512, Symbols.CpuHasAvx512), (avx512BFloat16, Symbols.CpuHasAvx512BFloat16) }
            .Where(s => s.Item1 == 0).Select(s => s.Item2).FirstOrDefault();
        if (missing is not null)
        {
            return new EntryPoints(missing, null, null, null, false, false);
        }

        return new EntryPoints(
            null,
            Marshal.GetDelegateForFunctionPointer<GlobalContextFunction>(globalContext),
            Marshal.GetDelegateForFunctionPointer<SetPrecisionFunction>(set),
            Marshal.GetDelegateForFunctionPointer<GetPrecisionFunction>(get),
            Marshal.GetDelegateForFunctionPointer<CpuFeature>(avx512)() != 0,
            Marshal.GetDelegateForFunctionPointer<CpuFeature>(avx512BFloat16)() != 0);
    }

    /// <summary><c>at::Context&amp; at::globalContext()</c>.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate nint GlobalContextFunction();

    /// <summary><c>void at::Context::setFloat32Precision(Float32Backend, Float32Op, Float32Precision)</c>, this first.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate void SetPrecisionFunction(nint context, int backend, int operation, int precision);

    /// <summary><c>Float32Precision at::Context::float32Precision(Float32Backend, Float32Op) const</c>, this first.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate int GetPrecisionFunction(nint context, int backend, int operation);

    /// <summary>A <c>bool ()</c> CPU feature query such as <c>at::cpu::is_avx512_supported()</c>; a C++ bool is one byte.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    internal delegate byte CpuFeature();

    private sealed record EntryPoints(string? Missing, GlobalContextFunction? GlobalContext, SetPrecisionFunction? Set, GetPrecisionFunction? Get, bool HasAvx512, bool HasAvx512BFloat16);
}

/// <summary>The exported (mangled) names of the libtorch functions <see cref="ProductPrecisionSwitch"/> calls.</summary>
internal sealed record LibTorchSymbols(string GlobalContext, string SetFloat32Precision, string Float32Precision, string CpuHasAvx512, string CpuHasAvx512BFloat16)
{
    /// <summary>The names in libtorch_cpu.so of libtorch 2.10 (Itanium C++ ABI, GCC).</summary>
    public static LibTorchSymbols Default { get; } = new(
        "_ZN2at13globalContextEv",
        "_ZN2at7Context19setFloat32PrecisionENS_14Float32BackendENS_9Float32OpENS_16Float32PrecisionE",
        "_ZNK2at7Context16float32PrecisionENS_14Float32BackendENS_9Float32OpE",
        "_ZN2at3cpu19is_avx512_supportedEv",
        "_ZN2at3cpu24is_avx512_bf16_supportedEv");
}

/// <summary>What applying a product precision achieved.</summary>
/// <param name="InEffect">The products the process now computes.</param>
/// <param name="Reason">Why the request was not met, or <see langword="null"/> when it was.</param>
/// <param name="Unexpected">Whether the reason is a fault (a missing function, a setting that did not take) rather than a CPU without the feature.</param>
internal sealed record ProductPrecisionOutcome(ProductPrecision InEffect, string? Reason, bool Unexpected)
{
    public static ProductPrecisionOutcome Exact { get; } = new(ProductPrecision.Exact, null, false);

    public static ProductPrecisionOutcome Fallback(string reason, bool unexpected) => new(ProductPrecision.Exact, reason, unexpected);
}
