namespace DSpib;

/// <summary>The encoder's posterior q(z | X) = N(mu(X), sigma(X)^2 I) of some frames.</summary>
public sealed class LatentPosterior
{
    internal LatentPosterior(double[,] mean, double[,] standardDeviation)
    {
        Mean = mean;
        StandardDeviation = standardDeviation;
    }

    /// <summary>Frames x latent dimensions: the latent means mu(X), the collective variable.</summary>
    public double[,] Mean { get; }

    /// <summary>Frames x latent dimensions: the standard deviations sigma(X) of the noise around the means.</summary>
    public double[,] StandardDeviation { get; }

    /// <summary>Splits rows of [means, standard deviations] into the two matrices.</summary>
    internal static LatentPosterior Split(double[,] both, int dimension)
    {
        var rows = both.GetLength(0);
        var mean = new double[rows, dimension];
        var deviation = new double[rows, dimension];
        for (var n = 0; n < rows; n++)
        {
            for (var d = 0; d < dimension; d++)
            {
                mean[n, d] = both[n, d];
                deviation[n, d] = both[n, dimension + d];
            }
        }

        return new LatentPosterior(mean, deviation);
    }
}
