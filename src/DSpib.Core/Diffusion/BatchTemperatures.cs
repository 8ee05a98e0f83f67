using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// The temperatures of a set of latent samples, as the diffusion prior needs them: the distinct temperatures'
/// noise scales lambda(T) and embedding inputs, and which of them each row has. Training data has a handful of
/// temperatures, so the temperature embedding is computed once per distinct temperature rather than once per row.
/// </summary>
internal sealed class BatchTemperatures : IDisposable
{
    private BatchTemperatures(Tensor index, Tensor lambdas, Tensor inputs, IReadOnlyList<double> distinct)
    {
        Index = index;
        Lambdas = lambdas;
        Inputs = inputs;
        Distinct = distinct;
    }

    /// <summary>Which distinct temperature each row has [rows] (int64).</summary>
    public Tensor Index { get; }

    /// <summary>lambda(T) of each distinct temperature [K].</summary>
    public Tensor Lambdas { get; }

    /// <summary>The temperature embedding's input for each distinct temperature [K].</summary>
    public Tensor Inputs { get; }

    /// <summary>The distinct temperatures, in the order of <see cref="Lambdas"/> and <see cref="Inputs"/>.</summary>
    public IReadOnlyList<double> Distinct { get; }

    /// <summary>The temperatures of rows <paramref name="temperatures"/> under <paramref name="prior"/>'s temperature law and embedding.</summary>
    public static BatchTemperatures Of(DiffusionPriorNetwork prior, IReadOnlyList<double> temperatures, ScalarType type, Device device)
    {
        var distinct = temperatures.Distinct().Order().ToArray();
        var position = distinct.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => (long)p.i);
        return new BatchTemperatures(
            tensor(temperatures.Select(t => position[t]).ToArray(), device: device),
            tensor(distinct.Select(prior.Lambda).ToArray(), dtype: ScalarType.Float64).to(type).to(device),
            tensor(distinct.Select(prior.TemperatureInput).ToArray(), dtype: ScalarType.Float64).to(type).to(device),
            distinct);
    }

    /// <summary>All <paramref name="rows"/> rows at one temperature.</summary>
    public static BatchTemperatures Uniform(DiffusionPriorNetwork prior, double temperature, long rows, ScalarType type, Device device) =>
        Of(prior, Enumerable.Repeat(temperature, (int)rows).ToArray(), type, device);

    /// <summary>The rows <paramref name="rows"/> of these temperatures (a view for one batch; it shares the distinct tables).</summary>
    public BatchTemperatures Select(Tensor rows) => new(Index.index_select(0, rows), Lambdas.alias(), Inputs.alias(), Distinct);

    public void Dispose()
    {
        Index.Dispose();
        Lambdas.Dispose();
        Inputs.Dispose();
    }
}
