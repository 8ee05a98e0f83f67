using System.Globalization;
using System.Text;
using DSpib.Training;

namespace DSpib.Samples.Lj7Temperature;

/// <summary>Everything the sample measured, as written to <c>summary.json</c>; temperatures are keys as text ("0.3").</summary>
internal sealed record Lj7Summary(
    Lj7Options Settings,
    TrainingSummary Training,
    IReadOnlyDictionary<string, TemperatureResult> Temperatures,
    double InterpolationRmse,
    double ExtrapolationRmse,
    double SimulationSeconds,
    double EvaluationSeconds)
{
    /// <summary>The key of a temperature in <see cref="Temperatures"/>.</summary>
    public static string Key(double temperature) => temperature.ToString("0.###", CultureInfo.InvariantCulture);

    public string FormatTable()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"D-SPIB on LJ7, trained at k_B T = {string.Join(", ", Settings.TrainingTemperatures.Select(Key))}: {Training.StateCount} states, {Training.Epochs} epochs in {Training.Seconds:F0} s");
        var variable = Temperatures.Values.FirstOrDefault()?.Variable == "EncoderMeans" ? "the collective-variable prior" : "the bottleneck prior (the model has no collective-variable prior)";
        text.AppendLine(CultureInfo.InvariantCulture, $"Generated and exact figures from {variable}, against the encoded MD frames; F RMSE where F_MD < 3 k_B T (KDE along z1):");
        text.AppendLine(" k_B T  trained   F RMSE   floor   nearest T: model    MD   2-D KL   KL floor   exact vs sampled F   exact vs ODE samples   kinetic T");
        foreach (var (key, result) in Temperatures)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $" {key,5}  {(result.Trained ? "yes" : "no"),7}   {result.FreeEnergyRmse,6:F3}   {result.FreeEnergyRmseFloor,5:F3}   {result.NearestModelRmse,16:F3}   {result.NearestMdRmse,5:F3}   {result.SymmetrizedKl,6:F3}   {result.KlFloor,8:F3}   {result.ExactVersusSampledRmse,18:F3}   {result.ExactVersusFlowSamplesRmse,20:F3}   {result.KineticTemperature,9:F3}");
        }

        text.AppendLine("The bottleneck prior (noisy latent samples): F RMSE against the encoded means and against posterior draws; state populations (decoder) of generated samples against MD:");
        foreach (var (key, result) in Temperatures)
        {
            var populations = string.Join("  ", result.GeneratedPopulations.Zip(result.MdPopulations, (g, m) => string.Create(CultureInfo.InvariantCulture, $"{g:F3}/{m:F3}")));
            text.AppendLine(CultureInfo.InvariantCulture, $" {key,5}  vs means {result.BottleneckRmse,6:F3}   vs draws {result.BottleneckPosteriorRmse,6:F3}   populations generated/MD {populations}   (largest error {result.LargestPopulationError:F3})");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"mean F RMSE at unseen temperatures inside the training range {InterpolationRmse:F3}, outside it {ExtrapolationRmse:F3} (k_B T)");
        return text.ToString();
    }
}

/// <summary>How training went.</summary>
internal sealed record TrainingSummary(int StateCount, int Epochs, int SpibEpochs, int JointEpochs, string StopReason, double Seconds, IReadOnlyList<double> StatePopulations, IReadOnlyList<RefinementRecord> Refinements);

/// <summary>The comparison at one temperature.</summary>
/// <param name="Trained">Whether the model was trained at this temperature.</param>
/// <param name="KineticTemperature">The simulation's measured kinetic temperature.</param>
/// <param name="Variable">Which prior the generated and exact figures come from: the collective-variable prior (EncoderMeans) or, for a model without one, the bottleneck prior (EncoderSamples).</param>
/// <param name="FreeEnergyRmse">RMSE of the generated F(z_1) against MD's where F_MD is below 3 k_B T (KDE profiles).</param>
/// <param name="FreeEnergyRmseFloor">The same RMSE between two disjoint halves of the MD walkers (the second subsampled to the generated count): MD's own noise.</param>
/// <param name="NearestTrainingTemperature">The training temperature nearest this one.</param>
/// <param name="NearestModelRmse">Baseline: the F RMSE of the same prior's samples at the nearest training temperature against this temperature's MD.</param>
/// <param name="NearestMdRmse">Baseline: the F RMSE of the MD at the nearest training temperature against this temperature's MD.</param>
/// <param name="BottleneckRmse">The F RMSE of the bottleneck prior's samples against the encoded MD means (the mismatch of variables).</param>
/// <param name="BottleneckPosteriorRmse">The F RMSE of the bottleneck prior's samples against posterior draws (means plus encoder noise) of the MD frames, its own variable.</param>
/// <param name="MdPopulations">Each state's fraction of the MD frames (the decoder's state of each encoded frame).</param>
/// <param name="GeneratedPopulations">Each state's fraction of the generated samples, by the decoder.</param>
/// <param name="LargestPopulationError">Largest |generated - MD| population over the states.</param>
/// <param name="SymmetrizedKl">Symmetrised 2-D histogram KL of generated samples against encoded MD frames.</param>
/// <param name="KlFloor">The same KL between two disjoint sets of MD walkers with the same sample sizes and grid.</param>
/// <param name="ExactVersusSampledRmse">RMSE of the exact F(z_1), smoothed with the KDE's kernel, against the generated KDE profile where that is below 3 k_B T.</param>
/// <param name="ExactVersusFlowSamplesRmse">The same against a KDE profile of as many probability-flow ODE samples (RK4, the exact free energy's step count): the process whose density the exact free energy is.</param>
/// <param name="ExactVersusMdRmse">RMSE of the exact F(z_1), smoothed with the KDE's kernel, against MD's where F_MD is below 3 k_B T.</param>
/// <param name="Grid">The z_1 grid of the profiles.</param>
/// <param name="MdFreeEnergy">F(z_1) of the encoded MD frames (KDE).</param>
/// <param name="GeneratedFreeEnergy">F(z_1) of the generated samples (KDE).</param>
/// <param name="ExactFreeEnergy">F(z_1) from the probability-flow ODE, z_2 integrated out, not smoothed.</param>
internal sealed record TemperatureResult(
    bool Trained,
    double KineticTemperature,
    string Variable,
    double FreeEnergyRmse,
    double FreeEnergyRmseFloor,
    double NearestTrainingTemperature,
    double NearestModelRmse,
    double NearestMdRmse,
    double BottleneckRmse,
    double BottleneckPosteriorRmse,
    IReadOnlyList<double> MdPopulations,
    IReadOnlyList<double> GeneratedPopulations,
    double LargestPopulationError,
    double SymmetrizedKl,
    double KlFloor,
    double ExactVersusSampledRmse,
    double ExactVersusFlowSamplesRmse,
    double ExactVersusMdRmse,
    IReadOnlyList<double> Grid,
    IReadOnlyList<double> MdFreeEnergy,
    IReadOnlyList<double> GeneratedFreeEnergy,
    IReadOnlyList<double> ExactFreeEnergy);
