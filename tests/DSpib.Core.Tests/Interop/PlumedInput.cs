using System.Globalization;

namespace DSpib.Core.Tests.Interop;

/// <summary>
/// A small evaluator for exactly the PLUMED syntax the exporter emits, written from the PLUMED manual independently
/// of the exporter: comments, <c>label: ACTION ...</c> blocks continued over lines up to a line starting with
/// <c>...</c>, <c>COMBINE</c> (sum_i c_i (x_i - a_i)^p_i) and the ANN module's <c>ANN</c> (layer l + 1 =
/// activation(W_l layer l + b_l), W_l flattened row by row with one row per node of layer l + 1, outputs
/// <c>label.node-k</c>). Unknown actions and keywords are errors, so that a misspelt keyword fails the test.
/// </summary>
internal sealed class PlumedInput
{
    private static readonly HashSet<string> CombineKeywords = ["ARG", "COEFFICIENTS", "PARAMETERS", "POWERS", "PERIODIC"];

    private readonly List<(string Label, string Action, Dictionary<string, string> Keywords)> _actions = [];

    private PlumedInput()
    {
    }

    public IReadOnlyList<string> Labels => _actions.Select(a => a.Label).ToArray();

    public IReadOnlyList<string> Actions => _actions.Select(a => a.Action).ToArray();

    public static PlumedInput Parse(string text)
    {
        var input = new PlumedInput();
        var lines = text.Split('\n').Select(l => (l.Contains('#', StringComparison.Ordinal) ? l[..l.IndexOf('#', StringComparison.Ordinal)] : l).Trim()).Where(l => l.Length > 0).ToList();
        for (var i = 0; i < lines.Count; i++)
        {
            var statement = lines[i];
            if (statement.EndsWith(" ...", StringComparison.Ordinal))
            {
                statement = statement[..^4];
                while (!lines[++i].StartsWith("...", StringComparison.Ordinal))
                {
                    statement += " " + lines[i];
                }
            }

            var tokens = statement.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!tokens[0].EndsWith(':'))
            {
                throw new FormatException($"Every action should start with 'label:': {statement}");
            }

            var keywords = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var token in tokens[2..])
            {
                var equals = token.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0 || !keywords.TryAdd(token[..equals], token[(equals + 1)..]))
                {
                    throw new FormatException($"'{token}' is not a keyword=value pair seen once: {statement}");
                }
            }

            input._actions.Add((tokens[0][..^1], tokens[1], keywords));
        }

        return input;
    }

    /// <summary>Evaluates every action on each frame; returns frames x outputs for the requested values.</summary>
    public double[,] Evaluate(double[,] frames, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs)
    {
        var result = new double[frames.GetLength(0), outputs.Count];
        for (var n = 0; n < frames.GetLength(0); n++)
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            for (var j = 0; j < inputs.Count; j++)
            {
                values[inputs[j]] = frames[n, j];
            }

            foreach (var (label, action, keywords) in _actions)
            {
                switch (action)
                {
                    case "COMBINE":
                        values[label] = Combine(keywords, values);
                        break;
                    case "ANN":
                        var nodes = Ann(keywords, values);
                        for (var k = 0; k < nodes.Length; k++)
                        {
                            values[$"{label}.node-{k}"] = nodes[k];
                        }

                        break;
                    default:
                        throw new FormatException($"Unexpected action {action}.");
                }
            }

            for (var k = 0; k < outputs.Count; k++)
            {
                result[n, k] = values[outputs[k]];
            }
        }

        return result;
    }

    private static double Combine(Dictionary<string, string> keywords, Dictionary<string, double> values)
    {
        CheckKeywords(keywords, CombineKeywords.Contains);
        if (keywords["PERIODIC"] != "NO")
        {
            throw new FormatException("The latent coordinates are not periodic.");
        }

        var arguments = Arguments(keywords, values);
        var coefficients = Numbers(keywords, "COEFFICIENTS", arguments.Length, 1.0);
        var parameters = Numbers(keywords, "PARAMETERS", arguments.Length, 0.0);
        var powers = Numbers(keywords, "POWERS", arguments.Length, 1.0);
        return arguments.Select((x, i) => coefficients[i] * Math.Pow(x - parameters[i], powers[i])).Sum();
    }

    private static double[] Ann(Dictionary<string, string> keywords, Dictionary<string, double> values)
    {
        CheckKeywords(keywords, k => k is "ARG" or "NUM_LAYERS" or "NUM_NODES" or "ACTIVATIONS" || IsNumbered(k, "WEIGHTS") || IsNumbered(k, "BIASES"));
        var layers = int.Parse(keywords["NUM_LAYERS"], CultureInfo.InvariantCulture);
        var nodes = keywords["NUM_NODES"].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var activations = keywords["ACTIVATIONS"].Split(',');
        if (nodes.Length != layers || activations.Length != layers - 1)
        {
            throw new FormatException("NUM_NODES needs one entry per layer and ACTIVATIONS one per connection.");
        }

        var layer = Arguments(keywords, values);
        if (layer.Length != nodes[0])
        {
            throw new FormatException("The number of arguments must be the first entry of NUM_NODES.");
        }

        for (var l = 0; l < layers - 1; l++)
        {
            var weights = Numbers(keywords, $"WEIGHTS{l}", nodes[l + 1] * nodes[l], null);
            var biases = Numbers(keywords, $"BIASES{l}", nodes[l + 1], null);
            var next = new double[nodes[l + 1]];
            for (var row = 0; row < next.Length; row++)
            {
                var sum = biases[row];
                for (var column = 0; column < nodes[l]; column++)
                {
                    sum += weights[(row * nodes[l]) + column] * layer[column];
                }

                next[row] = activations[l] switch
                {
                    "Linear" => sum,
                    "Tanh" => Math.Tanh(sum),
                    _ => throw new FormatException($"Activation {activations[l]} is not one the exporter may emit."),
                };
            }

            layer = next;
        }

        if (keywords.ContainsKey($"WEIGHTS{layers - 1}"))
        {
            throw new FormatException("More weight arrays than connections.");
        }

        return layer;
    }

    private static bool IsNumbered(string keyword, string stem) =>
        keyword.StartsWith(stem, StringComparison.Ordinal) && keyword.Length > stem.Length && keyword[stem.Length..].All(char.IsAsciiDigit);

    private static void CheckKeywords(Dictionary<string, string> keywords, Func<string, bool> allowed)
    {
        foreach (var keyword in keywords.Keys.Where(k => !allowed(k)))
        {
            throw new FormatException($"Unknown keyword {keyword}.");
        }
    }

    private static double[] Arguments(Dictionary<string, string> keywords, Dictionary<string, double> values) =>
        keywords["ARG"].Split(',').Select(name => values.TryGetValue(name, out var value) ? value : throw new FormatException($"{name} is not defined before it is used.")).ToArray();

    private static double[] Numbers(Dictionary<string, string> keywords, string keyword, int count, double? fallback)
    {
        if (!keywords.TryGetValue(keyword, out var text))
        {
            return fallback is double value ? Enumerable.Repeat(value, count).ToArray() : throw new FormatException($"{keyword} is missing.");
        }

        var numbers = text.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        return numbers.Length == count ? numbers : throw new FormatException($"{keyword} has {numbers.Length} values where {count} are needed.");
    }
}
