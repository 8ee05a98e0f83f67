namespace DSpib.Devices;

/// <summary>Thrown when a requested device (such as a CUDA GPU) is not present or not usable; the message names what is missing.</summary>
public sealed class DeviceUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception with a default message.</summary>
    public DeviceUnavailableException()
        : base("The requested device is not available.")
    {
    }

    /// <summary>Creates the exception with a message that names what is missing.</summary>
    /// <param name="message">What was requested and what is missing.</param>
    public DeviceUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What was requested and what is missing.</param>
    /// <param name="innerException">The underlying cause.</param>
    public DeviceUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
