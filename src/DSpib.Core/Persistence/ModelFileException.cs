namespace DSpib.Persistence;

/// <summary>
/// Thrown when a model file or training checkpoint cannot be read; <see cref="Reason"/> says why and the message says
/// what to do. Nothing is returned half-loaded when this is thrown.
/// </summary>
public sealed class ModelFileException : IOException
{
    /// <summary>Creates the exception with a default message.</summary>
    public ModelFileException()
        : this("The model file could not be read.")
    {
    }

    /// <summary>Creates the exception with a message (reason <see cref="ModelFileError.Corrupted"/>).</summary>
    /// <param name="message">What is wrong with the file and what to do.</param>
    public ModelFileException(string message)
        : this(message, ModelFileError.Corrupted)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause (reason <see cref="ModelFileError.Corrupted"/>).</summary>
    /// <param name="message">What is wrong with the file and what to do.</param>
    /// <param name="innerException">The underlying cause.</param>
    public ModelFileException(string message, Exception innerException)
        : this(message, ModelFileError.Corrupted, innerException)
    {
    }

    /// <summary>Creates the exception with a message, its reason and optionally the underlying cause.</summary>
    /// <param name="message">What is wrong with the file and what to do.</param>
    /// <param name="reason">Why the file could not be read.</param>
    /// <param name="innerException">The underlying cause, if any.</param>
    public ModelFileException(string message, ModelFileError reason, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the file could not be read.</summary>
    public ModelFileError Reason { get; }
}
