namespace DSpib.Interop;

/// <summary>File format of the tables written by <see cref="TableExport"/>.</summary>
public enum TableFormat
{
    /// <summary>NumPy <c>.npy</c> (float64 values, int32 state labels): <c>numpy.load(path)</c>.</summary>
    Npy,

    /// <summary>
    /// Comma-separated values with a header line, at round-trip precision: <c>numpy.loadtxt(path, delimiter=",",
    /// skiprows=1)</c> or <c>pandas.read_csv(path, float_precision="round_trip")</c>.
    /// </summary>
    Csv,
}
