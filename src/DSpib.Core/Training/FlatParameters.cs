using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>
/// A set of parameters as one flat vector, in order: what an average and a snapshot keep, and what they write back.
/// </summary>
internal sealed class FlatParameters(IEnumerable<Parameter> parameters)
{
    private readonly Parameter[] _parameters = parameters.ToArray();

    /// <summary>The parameters' current values as one new vector (made in the caller's dispose scope).</summary>
    public Tensor Values()
    {
        using var noGrad = no_grad();
        return cat(_parameters.Select(p => p.detach().reshape(-1)).ToArray(), 0);
    }

    /// <summary>Overwrites the parameters with <paramref name="flat"/>, a vector laid out as <see cref="Values"/>.</summary>
    public void Assign(Tensor flat)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pieces = flat.split(_parameters.Select(p => p.numel()).ToArray(), 0);
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].copy_(pieces[i].view_as(_parameters[i]));
        }
    }
}
