using System.Globalization;
using System.Reflection;
using System.Text;
using DSpib.Data.IO;
using DSpib.Internal;
using DSpib.Networks;
using DSpib.Spib;

namespace DSpib.Interop;

/// <summary>
/// Exports a trained encoder's latent means z = mu(x) as PLUMED collective variables, so that a simulation engine
/// with PLUMED can compute (and bias) the learned coordinates on the fly. The standardisation fitted in training is
/// folded into the exported numbers: the inputs are the raw descriptors, the same ones given to
/// <see cref="DSpibModel.Encode(double[,])"/>.
/// </summary>
/// <remarks>
/// <para>
/// The target is PLUMED 2.9 or later. A linear encoder becomes one <c>COMBINE</c> action per latent coordinate
/// (<c>COMBINE</c> is part of every PLUMED build):
/// <c>label_zk: COMBINE ARG=d1,...,dn COEFFICIENTS=c1,...,cn PARAMETERS=p1,...,pn POWERS=1,...,1 PERIODIC=NO</c>,
/// which PLUMED evaluates as z_k = sum_j c_j (x_j - p_j).
/// </para>
/// <para>
/// An MLP encoder becomes one <c>ANN</c> action of PLUMED's optional ANN module (build PLUMED with
/// <c>--enable-modules=annfunc</c>), with the keywords <c>ARG</c>, <c>NUM_LAYERS</c>, <c>NUM_NODES</c>,
/// <c>ACTIVATIONS</c>, <c>WEIGHTS0</c>, <c>WEIGHTS1</c>, ... (each layer's weight matrix flattened row by row, one row
/// per output node) and <c>BIASES0</c>, <c>BIASES1</c>, ...; its outputs <c>label_ann.node-0</c>, ... are then named
/// <c>label_z1</c>, ... by one-argument <c>COMBINE</c> actions. The ANN module computes the activations
/// <c>Linear</c>, <c>Tanh</c> and <c>Circular</c> only, so MLP encoders with <see cref="Activation.Tanh"/> or
/// <see cref="Activation.Identity"/> hidden layers can be exported; ReLU and SiLU cannot.
/// </para>
/// <para>Either way the latent coordinates are the PLUMED values <c>label_z1</c>, ..., <c>label_zD</c>.</para>
/// </remarks>
public static class PlumedExport
{
    /// <summary>Writes the PLUMED input that computes the model's latent means (see <see cref="PlumedExport"/>), replacing the file atomically.</summary>
    /// <param name="model">A trained model.</param>
    /// <param name="path">Target file, for example <c>dspib.dat</c>; include it in the simulation's <c>plumed.dat</c> with <c>INCLUDE FILE=dspib.dat</c>.</param>
    /// <param name="argumentNames">
    /// The PLUMED values that hold the descriptors, in the model's input order, for example <c>d1</c> or <c>cn.x</c>
    /// (labels of actions defined earlier in the PLUMED input, or their components).
    /// </param>
    /// <param name="label">Prefix of the labels the export defines (letters, digits and underscores; default <c>dspib</c>).</param>
    /// <exception cref="NotSupportedException">The encoder uses an activation PLUMED's ANN module does not have.</exception>
    public static void ExportPlumed(this DSpibModel model, string path, IReadOnlyList<string> argumentNames, string label = "dspib")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        // Everything is checked and formatted before the file is touched.
        var input = ToPlumedInput(model, argumentNames, label);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            writer.Write(input);
        });
    }

    /// <summary>The PLUMED input that computes the model's latent means, as text (see <see cref="PlumedExport"/>).</summary>
    /// <inheritdoc cref="ExportPlumed" />
    public static string ToPlumedInput(this DSpibModel model, IReadOnlyList<string> argumentNames, string label = "dspib")
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckArguments(argumentNames, model.InputDimension);
        CheckLabel(label);

        // The architecture is known before training, so an encoder that cannot be exported is refused first.
        var options = model.Options.Encoder;
        if (!options.IsLinear && AnnActivation(options.Activation) is null)
        {
            throw new NotSupportedException($"The encoder's hidden layers use {options.Activation}, which PLUMED's ANN module cannot compute (it has Linear, Tanh and Circular). Build the model WithMlpEncoder(..., Activation.Tanh) or WithLinearEncoder() to export it.");
        }

        if (!model.IsTrained)
        {
            throw new InvalidOperationException("The model is not trained yet: train it with Trainer.Create()...Build().Fit(model, data, labels) first.");
        }

        var network = model.Network;
        IReadOnlyList<(double[,] Weight, double[] Bias)> layers;
        using (NativeLifetime.Enter(model))
        {
            layers = network.Encoder.MeanLayers();
        }

        var outputs = string.Join(',', Enumerable.Range(1, model.LatentDimension).Select(k => LatentLabel(label, k)));
        var version = typeof(PlumedExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
        var text = new StringBuilder();
        Line(text, Invariant($"# D-SPIB collective variables written by DSpib {version}: the latent means z = mu(x) of the"));
        Line(text, "# encoder, from the raw descriptors x (the training standardisation is folded into the numbers).");
        Line(text, Invariant($"# Inputs, in order: {string.Join(',', argumentNames)}"));
        Line(text, Invariant($"# Outputs: {outputs}"));
        if (options.IsLinear)
        {
            Line(text, "# Needs PLUMED 2.9 or later. COMBINE computes z_k = sum_j c_j (x_j - p_j).");
            AppendCombine(text, label, argumentNames, layers[0], network.Standardizer);
        }
        else
        {
            Line(text, "# Needs PLUMED 2.9 or later built with the ANN module (./configure --enable-modules=annfunc).");
            AppendAnn(text, label, argumentNames, layers, AnnActivation(options.Activation)!, network.Standardizer);
        }

        Line(text, Invariant($"# For example: PRINT ARG={outputs} STRIDE=100 FILE=COLVAR"));
        return text.ToString();
    }

    /// <summary>
    /// One COMBINE per latent coordinate. With standardised inputs (x - m) / s, z_k = sum_j (W_kj / s_j)(x_j - m_j) + b_k;
    /// COMBINE has no constant term, so b_k is absorbed into the parameters by the smallest change of them,
    /// p_kj = m_j - b_k c_kj / |c_k|^2, which keeps every x_j - p_kj near the centred descriptor.
    /// </summary>
    private static void AppendCombine(StringBuilder text, string label, IReadOnlyList<string> arguments, (double[,] Weight, double[] Bias) layer, Data.Standardizer standardizer)
    {
        var (weight, bias) = layer;
        var inputs = weight.GetLength(1);
        for (var k = 0; k < weight.GetLength(0); k++)
        {
            var coefficients = new double[inputs];
            var norm = 0.0;
            for (var j = 0; j < inputs; j++)
            {
                coefficients[j] = weight[k, j] / standardizer.Scale[j];
                norm += coefficients[j] * coefficients[j];
            }

            if (!(norm > 0))
            {
                throw new InvalidOperationException(Invariant($"Latent coordinate z{k + 1} does not depend on any descriptor (all its weights are 0), so it is the constant {bias[k]} and has no use as a collective variable; retrain the model."));
            }

            var parameters = new double[inputs];
            for (var j = 0; j < inputs; j++)
            {
                parameters[j] = standardizer.Mean[j] - (bias[k] * coefficients[j] / norm);
            }

            Line(text, Invariant($"{LatentLabel(label, k + 1)}: COMBINE ARG={string.Join(',', arguments)} COEFFICIENTS={Join(coefficients)} PARAMETERS={Join(parameters)} POWERS={string.Join(',', Enumerable.Repeat("1", inputs))} PERIODIC=NO"));
        }
    }

    /// <summary>
    /// One ANN action. The first layer takes the raw descriptors: W (x - m) / s + b = (W / s) x + (b - W (m / s)).
    /// </summary>
    private static void AppendAnn(StringBuilder text, string label, IReadOnlyList<string> arguments, IReadOnlyList<(double[,] Weight, double[] Bias)> layers, string hiddenActivation, Data.Standardizer standardizer)
    {
        var (first, firstBias) = layers[0];
        var folded = new double[first.GetLength(0), first.GetLength(1)];
        var foldedBias = (double[])firstBias.Clone();
        for (var i = 0; i < first.GetLength(0); i++)
        {
            for (var j = 0; j < first.GetLength(1); j++)
            {
                folded[i, j] = first[i, j] / standardizer.Scale[j];
                foldedBias[i] -= folded[i, j] * standardizer.Mean[j];
            }
        }

        var weights = layers.Select(l => l.Weight).ToArray();
        var biases = layers.Select(l => l.Bias).ToArray();
        weights[0] = folded;
        biases[0] = foldedBias;

        var ann = label + "_ann";
        var nodes = new[] { first.GetLength(1) }.Concat(weights.Select(w => w.GetLength(0)));
        var activations = Enumerable.Repeat(hiddenActivation, layers.Count - 1).Append("Linear");
        Line(text, Invariant($"{ann}: ANN ..."));
        Line(text, Invariant($"  ARG={string.Join(',', arguments)}"));
        Line(text, Invariant($"  NUM_LAYERS={layers.Count + 1}"));
        Line(text, Invariant($"  NUM_NODES={string.Join(',', nodes)}"));
        Line(text, Invariant($"  ACTIVATIONS={string.Join(',', activations)}"));
        for (var l = 0; l < weights.Length; l++)
        {
            Line(text, Invariant($"  WEIGHTS{l}={Join(weights[l].Cast<double>())}"));
        }

        for (var l = 0; l < biases.Length; l++)
        {
            Line(text, Invariant($"  BIASES{l}={Join(biases[l])}"));
        }

        Line(text, "...");
        for (var k = 0; k < weights[^1].GetLength(0); k++)
        {
            Line(text, Invariant($"{LatentLabel(label, k + 1)}: COMBINE ARG={ann}.node-{k} PERIODIC=NO"));
        }
    }

    private static string? AnnActivation(Activation activation) => activation switch
    {
        Activation.Tanh => "Tanh",
        Activation.Identity => "Linear",
        _ => null,
    };

    private static string LatentLabel(string label, int coordinate) => Invariant($"{label}_z{coordinate}");

    /// <summary>Round-trip precision: the exported file reproduces the model's numbers exactly.</summary>
    private static string Join(IEnumerable<double> values) => string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>PLUMED inputs are Unix text files on every platform.</summary>
    private static void Line(StringBuilder text, string line) => text.Append(line).Append('\n');

    private static void CheckArguments(IReadOnlyList<string> argumentNames, int? inputDimension)
    {
        ArgumentNullException.ThrowIfNull(argumentNames);
        if (inputDimension is not null && argumentNames.Count != inputDimension)
        {
            throw new ArgumentException(Invariant($"Give one PLUMED argument per descriptor: the model takes {inputDimension}, {argumentNames.Count} were given."), nameof(argumentNames));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in argumentNames)
        {
            if (string.IsNullOrEmpty(name) || name.Any(c => char.IsWhiteSpace(c) || c is ',' or '=' or '#' or '{' or '}'))
            {
                throw new ArgumentException($"'{name}' is not a PLUMED argument name: use the label of a PLUMED value (for example d1 or cn.x), without spaces, commas, '=', '#' or braces.", nameof(argumentNames));
            }

            if (!seen.Add(name))
            {
                throw new ArgumentException($"'{name}' is given twice; each descriptor needs its own PLUMED value.", nameof(argumentNames));
            }
        }
    }

    private static void CheckLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length == 0 || !(char.IsAsciiLetter(label[0]) || label[0] == '_') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException($"'{label}' cannot prefix PLUMED labels: use letters, digits and underscores, starting with a letter or underscore (for example dspib).", nameof(label));
        }
    }
}
