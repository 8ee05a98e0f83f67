namespace DSpib;

/// <summary>One relabelling of the training pairs by the decoder.</summary>
/// <param name="Round">One-based refinement round; the final relabel has round <c>Refinements + 1</c>.</param>
/// <param name="Epoch">Epoch after which it happened.</param>
/// <param name="StatesBefore">States before relabelling.</param>
/// <param name="StatesAfter">States that kept at least one pair.</param>
/// <param name="ChangedFraction">Weighted fraction of pairs whose label changed.</param>
/// <param name="IsFinal">Whether this was the final relabel that ends training.</param>
public sealed record RefinementRecord(int Round, int Epoch, int StatesBefore, int StatesAfter, double ChangedFraction, bool IsFinal);
