using System.Globalization;

namespace DSpib.Data.IO;

/// <summary>
/// The header of a <c>.npy</c> file: a Python dict literal such as
/// <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (3, 4), }</c>, parsed strictly.
/// </summary>
internal sealed record NpyHeader(string Descriptor, bool FortranOrder, int[] Shape)
{
    public static NpyHeader Parse(string text, string source)
    {
        var parser = new Parser(text, source);
        var entries = parser.ParseDictionary();
        string Missing(string key) => $"{source}: the .npy header has no '{key}' entry; the file is not a valid NumPy array.";
        if (!entries.TryGetValue("descr", out var descr) || descr is not string descriptor)
        {
            throw new InvalidDataException(entries.ContainsKey("descr") ? $"{source}: the dtype descriptor is not a simple string (structured dtypes are not supported)." : Missing("descr"));
        }

        if (!entries.TryGetValue("fortran_order", out var order) || order is not bool fortranOrder)
        {
            throw new InvalidDataException(Missing("fortran_order"));
        }

        if (!entries.TryGetValue("shape", out var shapeValue) || shapeValue is not int[] shape)
        {
            throw new InvalidDataException(Missing("shape"));
        }

        // NumPy itself refuses a header with other keys than these three.
        if (entries.Count != 3)
        {
            var others = entries.Keys.Where(k => k is not ("descr" or "fortran_order" or "shape"));
            throw new InvalidDataException($"{source}: the .npy header has the unknown key(s) {string.Join(", ", others.Select(k => $"'{k}'"))}; a NumPy header has exactly 'descr', 'fortran_order' and 'shape'.");
        }

        return new NpyHeader(descriptor, fortranOrder, shape);
    }

    public static string Format(string descriptor, IReadOnlyList<int> shape)
    {
        var dimensions = shape.Count == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture)));
        return $"{{'descr': '{descriptor}', 'fortran_order': False, 'shape': ({dimensions}), }}";
    }

    /// <summary>A recursive-descent parser for the small subset of Python literals NumPy headers use.</summary>
    private sealed class Parser(string text, string source)
    {
        private int _position;

        public Dictionary<string, object> ParseDictionary()
        {
            SkipSpace();
            Expect('{');
            var entries = new Dictionary<string, object>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (TryConsume('}'))
                {
                    break;
                }

                var keyStart = _position;
                var key = ParseString();
                SkipSpace();
                Expect(':');
                SkipSpace();
                if (!entries.TryAdd(key, ParseValue()))
                {
                    _position = keyStart;
                    throw Error($"the key '{key}' appears twice");
                }

                SkipSpace();
                if (TryConsume(','))
                {
                    continue;
                }

                SkipSpace();
                Expect('}');
                break;
            }

            SkipSpace();
            if (_position != text.Length)
            {
                throw Error("unexpected text after the header dictionary");
            }

            return entries;
        }

        private object ParseValue()
        {
            if (Peek() is '\'' or '"')
            {
                return ParseString();
            }

            if (Peek() == '(')
            {
                return ParseTuple();
            }

            if (Peek() == '[')
            {
                throw Error("structured (record) dtypes are not supported; save a plain numeric array");
            }

            var word = ParseWord();
            return word switch
            {
                "True" => true,
                "False" => false,
                _ => throw Error($"unexpected value '{word}'"),
            };
        }

        private int[] ParseTuple()
        {
            Expect('(');
            var values = new List<int>();
            while (true)
            {
                SkipSpace();
                if (TryConsume(')'))
                {
                    return [.. values];
                }

                var word = ParseWord();
                if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var dimension))
                {
                    throw Error($"shape entry '{word}' is not a non-negative integer below 2^31");
                }

                values.Add(dimension);
                SkipSpace();
                if (!TryConsume(','))
                {
                    SkipSpace();
                    Expect(')');
                    return [.. values];
                }
            }
        }

        private string ParseString()
        {
            var quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw Error("expected a quoted string");
            }

            _position++;
            var end = text.IndexOf(quote, _position);
            if (end < 0)
            {
                throw Error("unterminated string");
            }

            var value = text[_position..end];
            _position = end + 1;
            return value;
        }

        private string ParseWord()
        {
            var start = _position;
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            return start == _position ? throw Error("expected a value") : text[start.._position];
        }

        private char Peek() => _position < text.Length ? text[_position] : '\0';

        private void SkipSpace()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
        }

        private bool TryConsume(char c)
        {
            if (Peek() != c)
            {
                return false;
            }

            _position++;
            return true;
        }

        private void Expect(char c)
        {
            if (!TryConsume(c))
            {
                throw Error($"expected '{c}'");
            }
        }

        private InvalidDataException Error(string what)
        {
            // A corrupt header can be long; its start is enough to recognise it.
            const int Shown = 200;
            var shown = text.Length <= Shown ? text : text[..Shown] + " ...";
            return new(string.Create(CultureInfo.InvariantCulture, $"{source}: malformed .npy header at character {_position} ({what}): \"{shown}\"."));
        }
    }
}
