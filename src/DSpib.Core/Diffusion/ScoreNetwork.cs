using DSpib.Internal;
using DSpib.Spib;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DSpib.Diffusion;

/// <summary>
/// The score network module: predicts the noise eps from (z_t, time input, temperature input). Every hidden layer k
/// computes act(W_k h + A_k e_t + B_k e_T), plus h when it is residual.
/// </summary>
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
    }

    public ScoreNet Architecture { get; }

    /// <summary>Predicted noise [batch, D] for noisy latents <paramref name="z"/> [batch, D], time inputs [batch] and temperature inputs [batch].</summary>
    public Tensor forward(Tensor z, Tensor timeInput, Tensor temperatureInput)
    {
        var timeCode = timeEmbedding.forward(timeInput);
        var temperatureCode = temperatureEmbedding?.forward(temperatureInput);
        var h = z;
        for (var k = 0; k < layers.Count; k++)
        {
            var preActivation = layers[k].forward(h) + timeProjections[k].forward(timeCode);
            if (temperatureCode is not null)
            {
                preActivation += temperatureProjections[k].forward(temperatureCode);
            }

            var next = activation.Apply(preActivation);
            h = residual[k] ? next + h : next;
        }

        return output.forward(h);
    }
}
