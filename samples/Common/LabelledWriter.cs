using System.Text;

namespace DSpib.Samples;

/// <summary>
/// Writes each complete line to another writer with a label in front, one whole line at a time, so that the progress
/// of several runs sharing one console stays readable and attributable.
/// </summary>
/// <param name="inner">Where the labelled lines go; give a synchronized writer when several threads share it.</param>
/// <param name="label">Put in square brackets before every line.</param>
public sealed class LabelledWriter(TextWriter inner, string label) : TextWriter
{
    private readonly StringBuilder _line = new();

    /// <inheritdoc />
    public override Encoding Encoding => inner.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        if (value == '\n')
        {
            FlushLine();
        }
        else if (value != '\r')
        {
            _line.Append(value);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        if (_line.Length > 0)
        {
            FlushLine();
        }

        inner.Flush();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && _line.Length > 0)
        {
            FlushLine();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        inner.WriteLine($"[{label}] {_line}");
        _line.Clear();
    }
}
