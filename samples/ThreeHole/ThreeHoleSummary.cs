using System.Globalization;
using System.Text;
using DSpib.Analysis;
using DSpib.Systems.Analysis;
using DSpib.Systems.Dynamics;
using DSpib.Training;

namespace DSpib.Samples.ThreeHole;

/// <summary>Everything the sample measured, as written to <c>summary.json</c>.</summary>
/// <param name="Settings">The options of the run.</param>
/// <param name="Models">One result per model, in the order trained.</param>
/// <param name="TrainingFrames">Frames of the training run.</param>
/// <param name="SimulationSteps">Integration steps of the training run.</param>
/// <param name="SimulationSeconds">Time those steps took.</param>
/// <param name="VerificationSteps">Integration steps of the independent run (held-out frames and populations).</param>
/// <param name="Seconds">Wall time of the whole run.</param>
internal sealed record ThreeHoleSummary(
    SampleOptions Settings,
    IReadOnlyList<ModelResult> Models,
    int TrainingFrames,
    long SimulationSteps,
    double SimulationSeconds,
    long VerificationSteps,
    double Seconds)
{
    /// <summary>Whether every model found the three wells and scored a finite KL.</summary>
    public bool Succeeded => Models.All(m => m.States == 3 && double.IsFinite(m.Kl) && double.IsFinite(m.KlFloor));

    public string FormatTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Symmetrised 2-D histogram KL (100 x 100 bins) of {Settings.GeneratedSamples:N0} generated latent samples against held-out frames; each floor is the same KL between two disjoint sets of held-out walkers of the same sizes.");
        text.AppendLine("  KL: collective-variable samples (D-SPIB's collective-variable prior, SPIB's VampPrior) against the encoded means;");
        text.AppendLine("  bottleneck: the bottleneck prior's samples against the means, and against posterior draws (means + encoder noise):");
        text.AppendLine("  model       states     KL   floor   bottleneck vs means   vs draws   floor   epochs (SPIB + joint)   seconds");
        foreach (var model in Models)
        {
            var epochs = string.Create(CultureInfo.InvariantCulture, $"{model.Epochs} ({model.SpibEpochs} + {model.JointEpochs})");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {model.Model,-10}  {model.States,6}  {model.Kl,5:F3}   {model.KlFloor,5:F3}   {model.BottleneckKl,19:F3}   {model.BottleneckPosteriorKl,8:F3}   {model.PosteriorKlFloor,5:F3}   {epochs,-21}   {model.Seconds,7:F0}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"State populations on the independent run ({VerificationSteps / 1e6:F0}M steps, ± standard error) against the exact Boltzmann weights of each state's region:");
        foreach (var model in Models)
        {
            var states = string.Join("   ", model.StatePopulations.Select(s => string.Create(CultureInfo.InvariantCulture, $"({s.MeanX:F1}, {s.MeanY:F1}) {s.Population:F3} ± {s.StandardError:F3} vs {s.BoltzmannPopulation:F3}")));
            text.AppendLine(CultureInfo.InvariantCulture, $"  {model.Model,-10}  {states}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"State populations of the generated collective-variable samples (each sample's state by the decoder), of the training frames the prior learned (± standard error) and exact Boltzmann weights:");
        foreach (var model in Models)
        {
            var states = string.Join("   ", model.StatePopulations.Select((s, k) => string.Create(CultureInfo.InvariantCulture, $"{model.GeneratedPopulations[k]:F3} / {s.TrainingPopulation:F3} ± {s.TrainingStandardError:F3} / {s.BoltzmannPopulation:F3}")));
            text.AppendLine(CultureInfo.InvariantCulture, $"  {model.Model,-10}  {states}   (largest error against Boltzmann {model.LargestGeneratedPopulationError:F3})");
        }

        return text.ToString().TrimEnd();
    }
}

/// <summary>What one model found and how well its prior generates the encoded data.</summary>
/// <param name="Model">Its command-line name.</param>
/// <param name="Description">What it is.</param>
/// <param name="States">Metastable states found.</param>
/// <param name="StatePopulations">Each state's place and populations.</param>
/// <param name="LargestPopulationError">Largest |independent run - Boltzmann| over the states.</param>
/// <param name="Kl">Symmetrised histogram KL of the generated collective-variable samples (D-SPIB's collective-variable prior, SPIB's VampPrior) against the encoded held-out frames.</param>
/// <param name="KlFloor">The same KL between two disjoint sets of encoded held-out walkers of the same sizes, on the same grid.</param>
/// <param name="BottleneckKl">KL of the bottleneck prior's samples (D-SPIB's joint diffusion prior, SPIB's VampPrior) against the encoded held-out frames: the mismatch of variables.</param>
/// <param name="BottleneckPosteriorKl">KL of the bottleneck prior's samples against posterior draws (means plus encoder noise) of the same held-out frames: like for like.</param>
/// <param name="PosteriorKlFloor">The same KL between posterior draws of the two disjoint sets of held-out walkers.</param>
/// <param name="GeneratedPopulations">Each state's fraction of the generated collective-variable samples, by the decoder.</param>
/// <param name="LargestGeneratedPopulationError">Largest |generated - Boltzmann| population over the states.</param>
/// <param name="GeneratedSamples">Samples generated for <paramref name="Kl"/>.</param>
/// <param name="ReferenceFrames">Encoded held-out frames both KLs compare against.</param>
/// <param name="FloorFrames">Encoded held-out frames, from the other walkers, standing in for the generated samples in the floor.</param>
/// <param name="Grid">The histogram grid of both KLs: it covers all three sets.</param>
/// <param name="Epochs">Training epochs in all.</param>
/// <param name="SpibEpochs">Epochs of the SPIB objective.</param>
/// <param name="JointEpochs">Epochs of the joint D-SPIB objective.</param>
/// <param name="StopReason">Why training stopped.</param>
/// <param name="TrainingSeconds">Time training took.</param>
/// <param name="Seconds">Time the model took in all: training, encoding, generation and scoring.</param>
/// <param name="Refinements">The label refinements.</param>
internal sealed record ModelResult(
    string Model,
    string Description,
    int States,
    IReadOnlyList<StateSummary> StatePopulations,
    double LargestPopulationError,
    double Kl,
    double KlFloor,
    double BottleneckKl,
    double BottleneckPosteriorKl,
    double PosteriorKlFloor,
    IReadOnlyList<double> GeneratedPopulations,
    double LargestGeneratedPopulationError,
    int GeneratedSamples,
    int ReferenceFrames,
    int FloorFrames,
    HistogramRange Grid,
    int Epochs,
    int SpibEpochs,
    int JointEpochs,
    string StopReason,
    double TrainingSeconds,
    double Seconds,
    IReadOnlyList<RefinementRecord> Refinements);

/// <summary>
/// One metastable state: where its training frames are, and its population from the training frames, from an
/// independent run, and from Boltzmann weights.
/// </summary>
internal sealed record StateSummary(
    int State,
    double MeanX,
    double MeanY,
    double TrainingPopulation,
    double TrainingStandardError,
    double Population,
    double StandardError,
    double BoltzmannPopulation)
{
    /// <summary>Independent-run population minus the Boltzmann population.</summary>
    public double PopulationError => Population - BoltzmannPopulation;

    /// <summary>The states of a trained model, measured on the training frames (with its final labels) and on the independent run.</summary>
    public static StateSummary[] From(TrainingReport report, SimulationResult simulation, PopulationEstimate training, PopulationEstimate independent, IReadOnlyList<double> boltzmann)
    {
        var stateCount = report.StateCount;
        var sums = new double[stateCount, 2];
        var counts = new double[stateCount];
        for (var walker = 0; walker < simulation.Trajectories.Count; walker++)
        {
            var frames = simulation.Trajectories[walker];
            var states = report.FinalLabels.ForTrajectory(walker);
            for (var n = 0; n < states.Length; n++)
            {
                sums[states[n], 0] += frames[n, 0];
                sums[states[n], 1] += frames[n, 1];
                counts[states[n]]++;
            }
        }

        return Enumerable.Range(0, stateCount)
            .Select(k => new StateSummary(
                k,
                counts[k] > 0 ? sums[k, 0] / counts[k] : double.NaN,
                counts[k] > 0 ? sums[k, 1] / counts[k] : double.NaN,
                training.Mean[k],
                training.StandardError[k],
                independent.Mean[k],
                independent.StandardError[k],
                boltzmann[k]))
            .ToArray();
    }
}
