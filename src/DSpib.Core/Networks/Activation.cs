namespace DSpib.Networks;

/// <summary>Nonlinearity between hidden layers of a network.</summary>
public enum Activation
{
    /// <summary>max(0, x): the reference choice.</summary>
    ReLU,

    /// <summary>x * sigmoid(x) (swish): smooth, often better for score networks.</summary>
    SiLU,

    /// <summary>tanh(x): smooth and bounded; exportable to PLUMED's ANN module.</summary>
    Tanh,

    /// <summary>No nonlinearity.</summary>
    Identity,
}
