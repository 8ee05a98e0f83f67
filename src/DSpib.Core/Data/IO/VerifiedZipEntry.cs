using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;

namespace DSpib.Data.IO;

/// <summary>
/// Reads one zip entry without trusting its size fields: the entry must inflate to exactly the length its central
/// directory declares, with the CRC-32 it declares. <see cref="ZipArchive"/> on .NET 10 checks neither: it returns a
/// stored entry's bytes whatever length is declared, cuts a deflated entry's output at the declared length without a
/// word, and never compares the CRC-32. Shared by the <c>.npz</c> reader and the model-file container.
/// </summary>
/// <remarks>
/// Before the entry is opened, its declared length is checked against <c>maxLength</c> and against what its
/// compressed bytes can hold (deflate expands at most 1032-fold: a 258-byte match in two bits), so an entry that
/// claims gigabytes in a small file is refused before anything is read. While it is read, the stream gives at most the
/// declared number of bytes; reaching the end early, or the end with another CRC-32, throws. Nothing here allocates in
/// proportion to a declared size: callers that keep the bytes grow their buffers as bytes arrive.
/// </remarks>
internal sealed class VerifiedZipEntry : Stream
{
    /// <summary>Deflate's largest expansion, output bytes per compressed byte.</summary>
    public const long MaxDeflateRatio = 1032;

    private readonly Stream _inner;
    private readonly ZipArchiveEntry _entry;
    private readonly Func<string, Exception?, Exception> _fail;
    private readonly Crc32 _crc = new();
    private long _produced;
    private bool _verified;

    private VerifiedZipEntry(Stream inner, ZipArchiveEntry entry, Func<string, Exception?, Exception> fail)
    {
        _inner = inner;
        _entry = entry;
        _fail = fail;
    }

    /// <summary>The length the central directory declares (checked by the end of the read).</summary>
    public long DeclaredLength => _entry.Length;

    /// <summary>Bytes still to come if the entry is what it declares; an upper bound on what reading can give.</summary>
    public long Remaining => _entry.Length - _produced;

    /// <inheritdoc/>
    public override bool CanRead => true;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    /// <summary>
    /// Opens <paramref name="entry"/> for a verified read. <paramref name="fail"/> makes the caller's exception from a
    /// problem ("the entry 'x.npy' ...") and the underlying cause, if any.
    /// </summary>
    /// <param name="entry">The entry.</param>
    /// <param name="maxLength">The largest declared length accepted.</param>
    /// <param name="archiveLength">The length of the whole archive, if known.</param>
    /// <param name="fail">Makes the exception to throw.</param>
    public static VerifiedZipEntry Open(ZipArchiveEntry entry, long maxLength, long? archiveLength, Func<string, Exception?, Exception> fail)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var name = entry.FullName;
        if (entry.Length < 0 || entry.CompressedLength < 0 || (archiveLength is { } size && entry.CompressedLength > size))
        {
            throw fail(string.Create(CultureInfo.InvariantCulture, $"the entry '{name}' declares {entry.CompressedLength} compressed bytes, more than the archive holds."), null);
        }

        if (entry.Length > maxLength)
        {
            throw fail(string.Create(CultureInfo.InvariantCulture, $"the entry '{name}' declares {entry.Length} bytes, more than the {maxLength} an entry may have."), null);
        }

        if (entry.Length > (entry.CompressedLength * MaxDeflateRatio) + 258)
        {
            throw fail(string.Create(CultureInfo.InvariantCulture, $"the entry '{name}' declares {entry.Length} bytes, more than its {entry.CompressedLength} compressed bytes can hold."), null);
        }

        if (entry.IsEncrypted)
        {
            throw fail($"the entry '{name}' is encrypted; encrypted entries are not supported.", null);
        }

        try
        {
            return new VerifiedZipEntry(entry.Open(), entry, fail);
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException)
        {
            throw fail($"the entry '{name}' cannot be opened ({e.Message}).", e);
        }
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        if (Remaining == 0)
        {
            Verify();
            return 0;
        }

        var wanted = buffer[..(int)Math.Min(buffer.Length, Remaining)];
        int read;
        try
        {
            read = _inner.Read(wanted);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw _fail($"the entry '{_entry.FullName}' is corrupted: its data cannot be decompressed ({e.Message}).", e);
        }

        if (read == 0)
        {
            throw _fail(string.Create(CultureInfo.InvariantCulture, $"the entry '{_entry.FullName}' is corrupted: it ends after {_produced} of its declared {_entry.Length} bytes."), null);
        }

        _crc.Append(wanted[..read]);
        _produced += read;
        return read;
    }

    /// <summary>Reads whatever the caller left of the entry, without keeping it, and checks length and CRC-32.</summary>
    public void ReadToEndAndVerify()
    {
        Span<byte> scratch = stackalloc byte[4096];
        while (Read(scratch) > 0)
        {
        }

        Verify();
    }

    /// <summary>Reads the whole entry into an array that grows with the bytes actually inflated, and verifies it.</summary>
    public byte[] ReadAllVerified()
    {
        if (DeclaredLength > Array.MaxLength)
        {
            throw _fail(string.Create(CultureInfo.InvariantCulture, $"the entry '{_entry.FullName}' declares {DeclaredLength} bytes, more than one array can hold."), null);
        }

        var buffer = new byte[(int)Math.Min(DeclaredLength, 1 << 16)];
        var length = 0;
        while (Remaining > 0)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, DeclaredLength));
            }

            length += Read(buffer.AsSpan(length));
        }

        Verify();
        return buffer;
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Verify()
    {
        if (_verified)
        {
            return;
        }

        // The declared length has been produced; a stored entry (whose reader does not stop there) must also end there.
        Span<byte> probe = stackalloc byte[1];
        int extra;
        try
        {
            extra = _inner.Read(probe);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw _fail($"the entry '{_entry.FullName}' is corrupted: its data cannot be decompressed ({e.Message}).", e);
        }

        if (extra > 0)
        {
            throw _fail(string.Create(CultureInfo.InvariantCulture, $"the entry '{_entry.FullName}' is corrupted: it holds more than its declared {_entry.Length} bytes."), null);
        }

        var actual = _crc.GetCurrentHashAsUInt32();
        if (actual != _entry.Crc32)
        {
            throw _fail(string.Create(CultureInfo.InvariantCulture, $"the entry '{_entry.FullName}' is corrupted: its data have the CRC-32 {actual:x8}, not the {_entry.Crc32:x8} the archive records."), null);
        }

        _verified = true;
    }
}
