namespace DSpib.Interop;

/// <summary>File format of the tables written by <see cref="TableExport"/>.</summary>
public enum TableFormat
{
    /// <summary>NumPy <c>.npy</c> (float64 values, int32 state labels): <c>numpy.load(path)</c>.</summary>
    Npy,

    /// <summary>Comma-separated values with a header line: <c>pandas.read_csv(path)</c> or <c>numpy.loadtxt(path, delimiter=",", skiprows=1)</c>.</summary>
    Csv,
}
