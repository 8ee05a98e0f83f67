using System.Globalization;
using DSpib.Benchmarks;

var figure = args.Length > 0 ? args[0] : "help";
var threadsIndex = Array.IndexOf(args, "--threads");
if (threadsIndex >= 0)
{
    // Process-wide libtorch setting, applied only because the command line asked for it.
    TorchSharp.torch.set_num_threads(int.Parse(args[threadsIndex + 1], CultureInfo.InvariantCulture));
}

var results = figure switch
{
    "step-profile" => StepProfile.Run(states: 100, steps: 200).ToList(),
    "step-profile-3" => StepProfile.Run(states: 3, steps: 200).ToList(),
    _ => null,
};

if (results is null)
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/DSpib.Benchmarks -- <figure>");
    Console.WriteLine("figures: step-profile");
    return 1;
}

foreach (var r in results)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Name,-36} median {r.Median,9:F4} {r.Unit}  (IQR {r.Lower:F4}-{r.Upper:F4}, min {r.Min:F4}, n={r.Samples.Count})"));
}

return 0;
