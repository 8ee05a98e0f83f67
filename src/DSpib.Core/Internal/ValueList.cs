using System.Collections;

namespace DSpib.Internal;

/// <summary>
/// An immutable list that compares by its items, for the list members of the options records: a record compares an
/// <see cref="IReadOnlyList{T}"/> member by reference, so two equal settings would otherwise differ.
/// </summary>
internal sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
    where T : IEquatable<T>
{
    private readonly T[] _items;

    private ValueList(T[] items) => _items = items;

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    /// <summary>A copy of <paramref name="items"/> (or the list itself when it already is one).</summary>
    /// <param name="items">The items; null is refused with <paramref name="option"/> named.</param>
    /// <param name="option">The option being set, for the exception.</param>
    public static ValueList<T> Of(IEnumerable<T>? items, string option) =>
        items as ValueList<T> ?? new ValueList<T>((items ?? throw new ArgumentNullException(option, $"{option} cannot be null; give an empty list for none.")).ToArray());

    public bool Equals(ValueList<T>? other) => other is not null && _items.AsSpan().SequenceEqual(other._items);

    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", _items)}]";

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();
}
