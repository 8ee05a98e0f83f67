using System.Globalization;
using static TorchSharp.torch;

namespace DSpib.Training;

/// <summary>Where and how a training step diverged: its position, its loss terms and the learning rate.</summary>
internal sealed record DivergedStep(int Epoch, int Step, double Loss, double CrossEntropy, double Kl, double DiffusionLoss, double LearningRate)
{
    public static DivergedStep Of(int epoch, int step, SpibObjective.Terms terms, bool joint, double learningRate)
    {
        using var scope = NewDisposeScope();
        return new(epoch, step, Value(terms.Loss), Value(terms.CrossEntropy), Value(terms.Kl), joint ? Value(terms.Diffusion) : double.NaN, learningRate);
    }

    /// <summary>The facts, and what to do, for the exception and the log alike.</summary>
    public string Describe(bool modelKept)
    {
        var terms = double.IsNaN(DiffusionLoss)
            ? string.Create(CultureInfo.InvariantCulture, $"cross-entropy {CrossEntropy:G4}, KL {Kl:G4}")
            : string.Create(CultureInfo.InvariantCulture, $"cross-entropy {CrossEntropy:G4}, KL {Kl:G4}, diffusion {DiffusionLoss:G4}");
        var what = double.IsFinite(Loss) ? "a gradient was NaN or infinite" : "the loss was not finite";
        var model = modelKept
            ? $"The model keeps the parameters of the start of epoch {Epoch}."
            : "No epoch finished, so the model is left untrained.";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Training diverged at epoch {Epoch}, step {Step} (learning rate {LearningRate:G4}): {what}; loss {Loss:G4} ({terms}). {model} Lower the learning rate (WithLearningRate), or let the trainer retry with a lower one (WithDivergenceRecovery); a very small beta or badly scaled descriptors can also cause it.");
    }

    private static double Value(Tensor value) => value.to(ScalarType.Float64).item<double>();
}
