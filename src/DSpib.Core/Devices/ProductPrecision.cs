namespace DSpib.Devices;

/// <summary>
/// How libtorch computes float32 matrix products (linear layers, forward and backward) on the CPU, set through
/// <see cref="DeviceBackend.Cpu"/>. A process-wide libtorch setting: it applies to every model and tensor of the
/// process, not to one backend, and it is not undone when a model is disposed.
/// </summary>
public enum ProductPrecision
{
    /// <summary>
    /// Full float32 products: libtorch's default, through its BLAS (oneMKL in the CPU build of libtorch).
    /// </summary>
    Exact,

    /// <summary>
    /// Float32 products through oneDNN, which is allowed to round the operands to bfloat16 and accumulate in float32
    /// (libtorch's oneDNN matmul precision <c>bf16</c>; in PyTorch <c>torch.backends.mkldnn.matmul.fp32_precision = "bf16"</c>).
    /// libtorch takes this path only on CPUs with AVX-512 (AVX512F/BW/VL/DQ); elsewhere, or when the running libtorch
    /// does not offer the switch, the backend keeps <see cref="Exact"/> products, logs why once, and reports it in
    /// <see cref="CpuBackend.ProductsInEffect"/>.
    /// </summary>
    FastFloat32,

    /// <summary>
    /// Mixed precision for the diffusion prior's score network: its hidden layers' products take bfloat16 operands
    /// (8 significant bits) with float32 accumulation, while its weights, gradients, optimizer state and the first and
    /// output layers stay float32; the process's float32 products (every other product) keep their setting, which is
    /// exact unless the application changed it. About twice the product rate of float32 on a
    /// CPU with a bfloat16 instruction set (AVX512_BF16). On a CPU without it, or a model in float64
    /// (<see cref="TensorPrecision.Float64"/>), or when the running libtorch does not offer the check, the backend keeps
    /// <see cref="Exact"/> products, logs why once, and reports it in <see cref="CpuBackend.ProductsInEffect"/>. Applies
    /// to models built, loaded or trained on the backend; it is not stored in model files.
    /// </summary>
    BFloat16,
}
