using System.Globalization;

namespace DSpib.Internal;

/// <summary>
/// The checks of the options types' <c>Validate</c> methods, in one place. Each names the option (as the exception's
/// parameter name and in the message) and, through its <c>fix</c> argument, how to set it right.
/// </summary>
internal static class Require
{
    public static void AtLeast(int value, int minimum, string option, string fix)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(option, value, Message(option, value, $"must be at least {minimum}", fix));
        }
    }

    public static void AtLeast(long value, long minimum, string option, string fix)
    {
        if (value < minimum)
        {
            throw new ArgumentOutOfRangeException(option, value, Message(option, value, $"must be at least {minimum}", fix));
        }
    }

    /// <summary>Positive and finite.</summary>
    public static void Positive(double value, string option, string fix)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(option, value, Message(option, value, "must be positive and finite", fix));
        }
    }

    /// <summary>Zero or positive, and finite.</summary>
    public static void NonNegative(double value, string option, string fix)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(option, value, Message(option, value, "must be zero or positive, and finite", fix));
        }
    }

    /// <summary>In the interval given by <paramref name="low"/>, <paramref name="high"/> and whether each end is included.</summary>
    public static void InRange(double value, double low, bool lowIncluded, double high, bool highIncluded, string option, string fix)
    {
        var above = lowIncluded ? value >= low : value > low;
        var below = highIncluded ? value <= high : value < high;
        if (!(above && below))
        {
            var interval = string.Create(CultureInfo.InvariantCulture, $"{(lowIncluded ? '[' : '(')}{low}, {high}{(highIncluded ? ']' : ')')}");
            throw new ArgumentOutOfRangeException(option, value, Message(option, value, $"must be in {interval}", fix));
        }
    }

    public static void Defined<TEnum>(TEnum value, string option, string fix)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(option, value, Message(option, value, $"is not one of {string.Join(", ", Enum.GetNames<TEnum>())}", fix));
        }
    }

    public static T NotNull<T>(T? value, string option, string fix)
        where T : class =>
        value ?? throw new ArgumentNullException(option, Message(option, "null", "must be set", fix));

    /// <summary>Layer widths: each at least 1.</summary>
    public static void Widths(IReadOnlyList<int> widths, string option, string fix)
    {
        foreach (var width in widths)
        {
            if (width < 1)
            {
                throw new ArgumentOutOfRangeException(option, width, Message(option, $"[{string.Join(", ", widths)}]", "must hold widths of at least 1", fix));
            }
        }
    }

    /// <summary>Throws unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string option, object? value, string problem, string fix)
    {
        if (!condition)
        {
            throw new ArgumentException(Message(option, value, problem, fix), option);
        }
    }

    private static string Message(string option, object? value, string problem, string fix) =>
        string.Create(CultureInfo.InvariantCulture, $"{option} {problem} (it is {value ?? "null"}); {fix}.");
}
