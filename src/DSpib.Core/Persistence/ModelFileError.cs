namespace DSpib.Persistence;

/// <summary>Why a model file or training checkpoint could not be read.</summary>
public enum ModelFileError
{
    /// <summary>The file ends early (for example a copy or download that stopped part way); save it again.</summary>
    Truncated,

    /// <summary>The file is damaged: an entry's checksum does not match, or its content cannot be decoded.</summary>
    Corrupted,

    /// <summary>The file is not a DSpib model file: not a zip archive, a zip archive without a DSpib manifest, or a manifest of another format.</summary>
    NotAModelFile,

    /// <summary>The file was written in a newer format version than this version of the library reads; update DSpib.</summary>
    NewerFormat,

    /// <summary>The model uses a custom temperature law, which cannot be stored as code: pass the law when loading.</summary>
    MissingTemperatureLaw,
}
