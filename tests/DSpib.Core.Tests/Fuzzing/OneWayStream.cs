namespace DSpib.Core.Tests.Fuzzing;

/// <summary>A stream that can neither seek nor tell its length, as a pipe or a network stream.</summary>
internal sealed class OneWayStream(byte[] bytes) : MemoryStream(bytes, writable: false)
{
    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }
}
