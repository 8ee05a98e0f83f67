using System.Globalization;

namespace DSpib.Samples;

/// <summary>
/// <c>--name value</c> options of a sample. Every option has a default; unknown names and malformed values throw
/// <see cref="ArgumentException"/> with the usage text, so a typo never runs with silently different settings.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly string _usage;

    /// <summary>Reads <paramref name="args"/> as pairs.</summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="usage">Usage text shown with every error.</param>
    public CommandLine(IReadOnlyList<string> args, string usage)
    {
        ArgumentNullException.ThrowIfNull(args);
        _usage = usage;
        for (var i = 0; i < args.Count; i += 2)
        {
            var name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected an option name such as --seed, not '{name}'.\n{usage}");
            }

            if (i + 1 >= args.Count)
            {
                throw new ArgumentException($"Option {name} needs a value.\n{usage}");
            }

            _values[name] = args[i + 1];
        }
    }

    /// <summary>Whether the user asked for help.</summary>
    /// <param name="args">The program's arguments.</param>
    public static bool WantsHelp(IReadOnlyList<string> args) => args.Contains("--help") || args.Contains("-h");

    /// <summary>A whole number.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="fallback">The default.</param>
    /// <param name="minimum">The smallest value allowed.</param>
    public int WholeNumber(string name, int fallback, int minimum = 1)
    {
        if (!TryGet(name, out var text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new ArgumentException($"Option {name} needs a whole number of at least {minimum}, not '{text}'.\n{_usage}");
    }

    /// <summary>A whole number, or <see langword="null"/> when the option is not given.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="minimum">The smallest value allowed.</param>
    public int? OptionalWholeNumber(string name, int minimum = 1) =>
        _values.ContainsKey(name) ? WholeNumber(name, minimum, minimum) : MarkRead(name);

    /// <summary>A positive number.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="fallback">The default.</param>
    public double Number(string name, double fallback)
    {
        if (!TryGet(name, out var text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentException($"Option {name} needs a positive number, not '{text}'.\n{_usage}");
    }

    /// <summary>A number in [0, 1).</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="fallback">The default.</param>
    public double Fraction(string name, double fallback)
    {
        if (!TryGet(name, out var text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && value < 1
            ? value
            : throw new ArgumentException($"Option {name} needs a number from 0 up to (not including) 1, not '{text}'.\n{_usage}");
    }

    /// <summary>A comma-separated list of positive numbers.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="fallback">The default.</param>
    public IReadOnlyList<double> Numbers(string name, IReadOnlyList<double> fallback)
    {
        if (!TryGet(name, out var text))
        {
            return fallback;
        }

        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !(values[i] > 0))
            {
                throw new ArgumentException($"Option {name} needs comma-separated positive numbers such as 0.2,0.5, not '{text}'.\n{_usage}");
            }
        }

        return values.Length > 0 ? values : throw new ArgumentException($"Option {name} needs at least one number.\n{_usage}");
    }

    /// <summary>One of <paramref name="choices"/>.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="fallback">The default.</param>
    /// <param name="choices">The allowed values.</param>
    public string Choice(string name, string fallback, params string[] choices)
    {
        if (!TryGet(name, out var text))
        {
            return fallback;
        }

        return choices.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new ArgumentException($"Option {name} is one of {string.Join(", ", choices)}, not '{text}'.\n{_usage}");
    }

    /// <summary>Any text.</summary>
    /// <param name="name">The option, with its dashes.</param>
    /// <param name="fallback">The default.</param>
    public string Text(string name, string fallback) => TryGet(name, out var text) ? text : fallback;

    /// <summary>Throws when an option was given that the sample never asked for.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new ArgumentException($"Unknown option {string.Join(", ", unknown)}.\n{_usage}");
        }
    }

    private int? MarkRead(string name)
    {
        _read.Add(name);
        return null;
    }

    private bool TryGet(string name, out string text)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out text!);
    }
}
