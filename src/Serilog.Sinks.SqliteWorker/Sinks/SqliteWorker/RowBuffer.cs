namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Rendered rows of one table waiting to be inserted: column values row after row, in the order of the table's columns,
/// ready to be bound as they are. The buffer is reused batch after batch.
/// </summary>
sealed class RowBuffer(int columns, int capacity)
{
    readonly object[] _values = new object[columns * capacity];

    public int Columns => columns;
    public int Count { get; private set; }
    public bool IsFull => Count == capacity;

    /// <summary>The next row's cells, to be filled by a row writer; <see cref="Commit"/> keeps it, otherwise it is reused.</summary>
    public Span<object> NextRow() => _values.AsSpan(Count * columns, columns);

    public void Commit() => Count++;

    public ReadOnlySpan<object> Rows(int first, int count) => _values.AsSpan(first * columns, count * columns);

    /// <summary>Forgets the rows, and the references they held, so that rendered text does not outlive its batch.</summary>
    public void Clear()
    {
        Array.Clear(_values, 0, Count * columns);
        Count = 0;
    }
}
