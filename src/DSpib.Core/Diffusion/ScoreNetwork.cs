using DSpib.Internal;
using DSpib.Networks;
using DSpib.Spib;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// The score network module: predicts the noise eps from (z_t, time input, temperature input). Every hidden layer k
/// computes act(W_k h + c_k), plus h when it is residual, where c_k = b_k + A_k e_t + B_k e_T is the layer's
/// conditioning on the time and temperature embeddings e_t and e_T.
/// </summary>
/// <remarks>
/// The conditioning does not depend on z, so it is computed apart from the main path: once for a whole sampler step
/// (one time, one temperature, broadcast to every row), and in discrete-time training once per distinct
/// (step, temperature) pair as a small table that the rows gather from. Both are the same arithmetic as embedding
/// every row, in a fraction of the work.
/// </remarks>
internal sealed class ScoreNetwork : nn.Module
{
    private readonly ModuleList<Linear> layers = new();
    private readonly ModuleList<Linear> timeProjections = new();
    private readonly ModuleList<Linear> temperatureProjections = new();
    private readonly Linear output;
    private readonly FourierFeatures timeEmbedding;
    private readonly nn.Module<Tensor, Tensor>? temperatureEmbedding;
    private readonly bool[] residual;
    private readonly Activation activation;

    public ScoreNetwork(ScoreNet architecture, int latentDimension, ScalarType type, Generator initGenerator)
        : base(nameof(ScoreNetwork))
    {
        Architecture = architecture;
        activation = architecture.Activation;
        timeEmbedding = new FourierFeatures(architecture.TimeEmbeddingDimension, architecture.TimeEmbeddingScale, architecture.Seed, architecture.Activation, type, initGenerator);
        var temperature = architecture.TemperatureEmbedding;
        temperatureEmbedding = temperature.Kind switch
        {
            TemperatureEmbeddingKind.Fourier => new FourierFeatures(temperature.Dimension, temperature.Scale, temperature.Seed, temperature.Activation, type, initGenerator),
            TemperatureEmbeddingKind.Learned => new LearnedScalarEmbedding(temperature.Dimension, temperature.Activation, type, initGenerator),
            _ => null,
        };

        var width = latentDimension;
        residual = new bool[architecture.HiddenLayers.Count];
        for (var k = 0; k < architecture.HiddenLayers.Count; k++)
        {
            var next = architecture.HiddenLayers[k];
            layers.Add(SeededInitialization.Linear(width, next, type, initGenerator));
            timeProjections.Add(SeededInitialization.Linear(architecture.TimeEmbeddingDimension, next, type, initGenerator));
            if (temperatureEmbedding is not null)
            {
                temperatureProjections.Add(SeededInitialization.Linear(temperature.Dimension, next, type, initGenerator));
            }

            residual[k] = architecture.Residual && k > 0 && next == width;
            width = next;
        }

        output = SeededInitialization.Linear(width, latentDimension, type, initGenerator);
        RegisterComponents();
        NativeLifetime.Own(this);
    }

    public ScoreNet Architecture { get; }

    /// <summary>Predicted noise [batch, D] for noisy latents <paramref name="z"/> [batch, D], time inputs [batch] and temperature inputs [batch].</summary>
    public Tensor forward(Tensor z, Tensor timeInput, Tensor temperatureInput) => Forward(z, Conditioning(timeInput, temperatureInput));

    /// <summary>
    /// The element type of the hidden layers' products when they are computed in reduced precision (bfloat16 operands,
    /// float32 accumulation; weights, gradients and the optimizer stay in the network's own type), or
    /// <see langword="null"/> for products in the network's type. The first and the output layer, whose products are
    /// tiny, always run in the network's type, so that the noisy latent goes in and the predicted noise comes out at
    /// full precision.
    /// </summary>
    public ScalarType? ReducedProducts { get; set; }

    /// <summary>Predicted noise [batch, D] given each hidden layer's conditioning, [batch, width] or [1, width] for all rows alike.</summary>
    public Tensor Forward(Tensor z, IReadOnlyList<Tensor> conditioning)
    {
        var h = z;
        for (var k = 0; k < layers.Count; k++)
        {
            // From the second hidden layer on, a reduced product type carries the hidden state in that type: one cast
            // in, one cast out, rather than two per layer.
            var reduced = LayerType(k, h.dtype);
            if (h.dtype != reduced)
            {
                h = h.to(reduced);
            }

            // addmm adds the conditioning (bias included) in the matrix product's own pass over the output.
            var weight = layers[k].weight!;
            var next = ActivateInPlace(InType(conditioning[k], reduced).addmm(h, InType(weight, reduced).t()));
            h = residual[k] ? next.Plus(h) : next;
        }

        return output.forward(h.dtype == z.dtype ? h : h.to(z.dtype));
    }

    /// <summary>
    /// Each hidden layer's conditioning c_k = b_k + A_k e_t + B_k e_T for row-aligned time and temperature inputs
    /// (both [rows], or both [1] for one time and temperature shared by every row).
    /// </summary>
    public Tensor[] Conditioning(Tensor timeInput, Tensor temperatureInput)
    {
        var time = TimeTerms(timeInput);
        var temperature = TemperatureTerms(temperatureInput);
        return InLayerTypes(temperature is null ? time : time.Zip(temperature, (a, b) => a.Plus(b)).ToArray());
    }

    /// <summary>
    /// The conditioning of every combination of <paramref name="timeInputs"/> [T] and <paramref name="temperatureInputs"/>
    /// [K], one [T K, width] table per hidden layer with the combination (i, j) in row i K + j.
    /// </summary>
    public Tensor[] ConditioningTable(Tensor timeInputs, Tensor temperatureInputs)
    {
        var time = TimeTerms(timeInputs);
        var temperature = TemperatureTerms(temperatureInputs);
        var combinations = timeInputs.shape[0] * temperatureInputs.shape[0];
        return InLayerTypes(time.Select((t, k) => temperature is null
                ? t.repeat_interleave(temperatureInputs.shape[0], dim: 0)
                : t.unsqueeze(1).Plus(temperature[k].unsqueeze(0)).reshape(combinations, -1))
            .ToArray());
    }

    /// <summary>b_k + A_k e_t (with the bias of A_k) for each hidden layer, [rows, width].</summary>
    public Tensor[] TimeTerms(Tensor timeInput)
    {
        var code = timeEmbedding.forward(timeInput);
        var terms = new Tensor[layers.Count];
        for (var k = 0; k < layers.Count; k++)
        {
            var projection = timeProjections[k];
            terms[k] = layers[k].bias!.Plus(projection.bias!).addmm(code, projection.weight!.t());
        }

        return terms;
    }

    /// <summary>B_k e_T (with its bias) for each hidden layer, [rows, width]; <see langword="null"/> without a temperature embedding.</summary>
    public Tensor[]? TemperatureTerms(Tensor temperatureInput)
    {
        if (temperatureEmbedding is null)
        {
            return null;
        }

        var code = temperatureEmbedding.forward(temperatureInput);
        return temperatureProjections.Select(p => p.forward(code)).ToArray();
    }

    /// <summary>The element type hidden layer <paramref name="k"/> computes its product in, for a network of type <paramref name="own"/>.</summary>
    private ScalarType LayerType(int k, ScalarType own) => k > 0 && ReducedProducts is { } reduced ? reduced : own;

    /// <summary>
    /// Each layer's conditioning in the type its product takes. Cast here, on the small table, rather than on the rows
    /// gathered from it: the gather and its backward pass then move half the bytes, and no cast of every row is needed.
    /// </summary>
    private Tensor[] InLayerTypes(Tensor[] conditioning)
    {
        for (var k = 0; k < conditioning.Length; k++)
        {
            conditioning[k] = InType(conditioning[k], LayerType(k, conditioning[k].dtype));
        }

        return conditioning;
    }

    /// <summary><paramref name="tensor"/> in <paramref name="type"/>, cast only when it is not already.</summary>
    private static Tensor InType(Tensor tensor, ScalarType type) => tensor.dtype == type ? tensor : tensor.to(type);

    /// <summary>
    /// The activation, in place where its gradient needs only its output (ReLU, tanh), which saves a tensor the size
    /// of the layer; SiLU's gradient needs its input, so it gets a new tensor.
    /// </summary>
    private Tensor ActivateInPlace(Tensor x) => activation switch
    {
        Activation.ReLU => x.relu_(),
        Activation.Tanh => x.tanh_(),
        Activation.Identity => x,
        _ => activation.Apply(x),
    };
}
