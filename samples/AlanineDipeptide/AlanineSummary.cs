using System.Globalization;
using System.Text;

namespace DSpib.Samples.AlanineDipeptide;

/// <summary>Everything the sample measured, as written to <c>summary.json</c>; temperatures are keys as text ("550").</summary>
/// <param name="Settings">The options of the run.</param>
/// <param name="Training">How training went.</param>
/// <param name="BasinNames">The conformational basins of the data set.</param>
/// <param name="StateBasins">The basin each model state stands for: the one most of its training frames are in (-1: none).</param>
/// <param name="Temperatures">The comparison at each evaluated temperature.</param>
/// <param name="Cost">What each method used and what it cost.</param>
/// <param name="Seconds">The whole run.</param>
internal sealed record AlanineSummary(
    AlanineOptions Settings,
    TrainingSummary Training,
    IReadOnlyList<string> BasinNames,
    IReadOnlyList<int> StateBasins,
    IReadOnlyDictionary<string, TemperatureResult> Temperatures,
    DataCost Cost,
    double Seconds)
{
    /// <summary>The methods in the order the table shows them.</summary>
    public static readonly string[] Methods =
    [
        AlanineRun.Generated, AlanineRun.NearestGenerated, AlanineRun.Encoded, AlanineRun.Reweighted, AlanineRun.MbarMethod, AlanineRun.NearestMd,
    ];

    /// <summary>The key of a temperature in <see cref="Temperatures"/>.</summary>
    public static string Key(double temperature) => temperature.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>The mean of <paramref name="measure"/> over the temperatures at <paramref name="position"/> (<c>inside</c>, <c>outside</c>, <c>trained</c>), per method.</summary>
    public IReadOnlyDictionary<string, double> Means(string position, Func<Estimate, double> measure)
    {
        var held = Temperatures.Values.Where(t => t.Position == position).ToArray();
        return Methods.ToDictionary(m => m, m => held.Length == 0 ? double.NaN : held.Average(t => measure(t.Estimates[m])));
    }

    public string FormatTable()
    {
        var text = new StringBuilder();
        var states = Training.StateCount;
        text.AppendLine(CultureInfo.InvariantCulture, $"D-SPIB on alanine dipeptide, trained at {string.Join(" and ", Settings.TrainingTemperatures.Select(Key))} K: {states} states, {Training.Epochs} epochs ({Training.SpibEpochs} SPIB + {Training.JointEpochs} joint) in {Training.Seconds:F0} s");
        text.AppendLine($"Model states -> basins: {string.Join(", ", StateBasins.Select((b, i) => $"{i} -> {(b >= 0 ? BasinNames[b] : "none")}"))}");
        foreach (var (key, result) in Temperatures)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{key} K ({result.Position}; nearest training temperature {result.NearestTrainingTemperature:0} K), {result.Frames} MD frames");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {"method",-21} {"C7eq / alphaR / C7ax",-21} {"C7ax |err|",10} {"max |err|",9} {"vs encoded",10} {"F(z1) RMSE",10} {"F(phi,psi) RMSE",15} {"missing bins",12} {"samples (eff.)",14}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {"MD",-21} {AlanineRun.Format(result.MdBasinPopulations),-21} {"",10} {"",9} {"",10} {result.CvFloor,10:F3} {result.AngleFloor,15:F3} {"",12} {result.Frames,14}");
            foreach (var method in Methods)
            {
                var e = result.Estimates[method];
                text.AppendLine(CultureInfo.InvariantCulture, $"  {method,-21} {AlanineRun.Format(e.BasinPopulations),-21} {e.C7axError,10:F3} {e.BasinError,9:F3} {e.StateErrorVersusEncoded,10:F3} {e.CvRmse,10:F3} {e.AngleRmse,15:F3} {e.AngleMissingBins,12} {e.EffectiveSamples,14:F0}");
            }
        }

        text.AppendLine();
        foreach (var position in new[] { "inside", "outside" })
        {
            var c7ax = Means(position, e => e.C7axError);
            var encoded = Means(position, e => e.StateErrorVersusEncoded);
            var cv = Means(position, e => e.CvRmse);
            var angles = Means(position, e => e.AngleRmse);
            string Join(IReadOnlyDictionary<string, double> means) => string.Join(", ", Methods.Where(m => !double.IsNaN(means[m])).Select(m => string.Create(CultureInfo.InvariantCulture, $"{m} {means[m]:F3}")));
            text.AppendLine(CultureInfo.InvariantCulture, $"Held-out temperatures {position} the training range, means: C7ax |error| {Join(c7ax)}; state populations vs encoded MD {Join(encoded)}; F(z1) RMSE {Join(cv)}; F(phi, psi) RMSE {Join(angles)}");
        }

        text.AppendLine("(The MD row's RMSEs are the MD's own floor: its first half against its second half. Model methods give basin populations through their states; a basin no state stands for gets 0.)");
        text.AppendLine(CultureInfo.InvariantCulture, $"Data: D-SPIB and the nearest-T baselines use the {Cost.TrainingFrames} training frames' descriptors only; MBAR also their potential energies, and overlap of their energy distributions. Training {Training.Seconds:F0} s, generation {Cost.GenerationSeconds:F0} s, model reweighting {Cost.ReweightingSeconds:F0} s, MBAR {Cost.MbarSeconds:F2} s; whole run {Seconds:F0} s.");
        return text.ToString();
    }
}

/// <summary>How training went.</summary>
internal sealed record TrainingSummary(int StateCount, int Epochs, int SpibEpochs, int JointEpochs, string StopReason, double Seconds, IReadOnlyList<double> StatePopulations);

/// <summary>What the methods used and cost.</summary>
/// <param name="TrainingFrames">Frames of the training temperatures (every method uses these).</param>
/// <param name="FramesPerTemperature">Of which at each training temperature.</param>
/// <param name="MbarIterations">MBAR's iterations.</param>
/// <param name="MbarSeconds">MBAR's solution.</param>
/// <param name="ReweightingSeconds">The model's exact log-densities of the training frames at every temperature.</param>
/// <param name="GenerationSeconds">Generating the latent samples.</param>
internal sealed record DataCost(int TrainingFrames, IReadOnlyList<int> FramesPerTemperature, int MbarIterations, double MbarSeconds, double ReweightingSeconds, double GenerationSeconds);

/// <summary>One method's estimate at one temperature; NaN where a measure does not apply to it.</summary>
/// <param name="BasinPopulations">Populations of C7eq, alphaR and C7ax: of the frames' basins for the methods that weight frames, of the model's states added up by <see cref="AlanineSummary.StateBasins"/> for the model's samples.</param>
/// <param name="C7axError">Absolute difference of the C7ax population from MD's: the error of the populations on the two sides of the slow barrier (phi &lt; 0 and phi &gt;= 0).</param>
/// <param name="BasinError">Largest absolute difference of the three basin populations from MD's.</param>
/// <param name="StatePopulations">Populations of the model's states (model methods only).</param>
/// <param name="StateErrorVersusEncoded">Largest absolute difference of <paramref name="StatePopulations"/> from those of the encoded MD frames at the same temperature: how well the generated samples reproduce what the model's encoder and decoder make of that temperature's MD (generated samples only).</param>
/// <param name="CvRmse">RMSE of F(z_1) against the encoded MD where F_MD is below the cutoff.</param>
/// <param name="AngleRmse">RMSE of F(phi, psi) against MD where F_MD is below the cutoff and the estimate is finite.</param>
/// <param name="AngleMissingBins">Bins with F_MD below the cutoff that the estimate never visited.</param>
/// <param name="EffectiveSamples">Samples behind the estimate (Kish's effective number for weighted frames).</param>
internal sealed record Estimate(
    IReadOnlyList<double> BasinPopulations,
    double C7axError,
    double BasinError,
    IReadOnlyList<double>? StatePopulations,
    double StateErrorVersusEncoded,
    double CvRmse,
    double AngleRmse,
    int AngleMissingBins,
    double EffectiveSamples);

/// <summary>The comparison at one temperature.</summary>
/// <param name="Temperature">K.</param>
/// <param name="Position"><c>trained</c>, <c>inside</c> (held out, between the training temperatures) or <c>outside</c>.</param>
/// <param name="NearestTrainingTemperature">The training temperature closest to it.</param>
/// <param name="Frames">MD frames at this temperature.</param>
/// <param name="MdBasinPopulations">MD's basin populations.</param>
/// <param name="CvFloor">F(z_1) RMSE of the MD's first half against its second half.</param>
/// <param name="AngleFloor">F(phi, psi) RMSE of the MD's first half against its second half.</param>
/// <param name="Estimates">Each method's estimate, by name.</param>
/// <param name="Grid">The z_1 grid of the profiles.</param>
/// <param name="MdCv">F(z_1) of the encoded MD.</param>
/// <param name="GeneratedCv">F(z_1) of the generated samples.</param>
/// <param name="NearestGeneratedCv">F(z_1) of the samples generated at the nearest training temperature.</param>
/// <param name="MbarCv">F(z_1) of the encoded training frames with MBAR's weights.</param>
/// <param name="MdAngles">F(phi, psi) of the MD, [phi bin][psi bin].</param>
/// <param name="MbarAngles">F(phi, psi) from MBAR.</param>
/// <param name="ReweightedAngles">F(phi, psi) from the model's reweighting of the training frames.</param>
/// <param name="NearestMdAngles">F(phi, psi) of the MD at the nearest training temperature.</param>
internal sealed record TemperatureResult(
    double Temperature,
    string Position,
    double NearestTrainingTemperature,
    int Frames,
    IReadOnlyList<double> MdBasinPopulations,
    double CvFloor,
    double AngleFloor,
    IReadOnlyDictionary<string, Estimate> Estimates,
    IReadOnlyList<double> Grid,
    IReadOnlyList<double> MdCv,
    IReadOnlyList<double> GeneratedCv,
    IReadOnlyList<double> NearestGeneratedCv,
    IReadOnlyList<double> MbarCv,
    double[][] MdAngles,
    double[][] MbarAngles,
    double[][] ReweightedAngles,
    double[][] NearestMdAngles);
