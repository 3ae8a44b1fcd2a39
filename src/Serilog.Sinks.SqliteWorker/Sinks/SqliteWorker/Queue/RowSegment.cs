using System.Diagnostics;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Queued rows in plain arrays: the text of every fresh string (timestamp, message, JSON) copied into one character
/// array, every other value (numbers, level names, templates, <c>DBNull</c>) kept by reference, and a small head per row
/// with what rebuilding its event for a failure listener needs. Rows are appended under the queue's lock and read by the
/// writer once they are counted.
/// </summary>
sealed class RowSegment
{
    /// <summary>Characters of text in a standard segment: 64 KB, under the large-object threshold.</summary>
    public const int TextCapacity = 32 * 1024;

    const int RowCapacity = 256;
    const int CellCapacity = RowCapacity * 10;

    readonly char[] _text;
    readonly object?[] _cells;
    // The length of each cell's text in _text, or -1 when the cell's value is in _cells.
    readonly int[] _textLengths;
    readonly RowHead[] _rows;
    int _textUsed;
    int _cellsUsed;

    public RowSegment(int textCapacity, int cellCapacity = CellCapacity)
    {
        _text = new char[textCapacity];
        _cells = new object?[cellCapacity];
        _textLengths = new int[cellCapacity];
        _rows = new RowHead[Math.Min(RowCapacity, cellCapacity)];
    }

    /// <summary>Rows appended; the queue's lock publishes them to the writer.</summary>
    public int Count { get; private set; }

    /// <summary>The next segment in the queue, under the queue's lock.</summary>
    public RowSegment? Next { get; set; }

    public bool IsStandardSize => _text.Length == TextCapacity && _cells.Length == CellCapacity;

    /// <summary>Whether a segment of the standard size can hold a row of this much text and these many cells.</summary>
    public static bool FitsStandardSize(int text, int cells) => text <= TextCapacity && cells <= CellCapacity;

    public bool HasRoomFor(int text, int cells) =>
        Count < _rows.Length && _cellsUsed + cells <= _cells.Length && _textUsed + text <= _text.Length;

    /// <param name="logEvent">The event the row was rendered from.</param>
    /// <param name="row">The rendered row.</param>
    /// <param name="isMetric">Whether it is a row of the metrics table.</param>
    public void Append(LogEvent logEvent, RenderedRow row, bool isMetric)
    {
        _rows[Count] = new RowHead(_cellsUsed, _textUsed, row.Columns, isMetric, logEvent.Timestamp, logEvent.Level,
            logEvent.MessageTemplate, logEvent.Exception);

        row.Text.CopyTo(_text.AsSpan(_textUsed));
        _textUsed += row.TextLength;
        for (var column = 0; column < row.Columns; column++)
        {
            var length = row.TextLengthOf(column);
            _textLengths[_cellsUsed] = length;
            if (length < 0)
                _cells[_cellsUsed] = row.Value(column);
            _cellsUsed++;
        }

        Count++;
    }

    public bool IsMetric(int row) => _rows[row].IsMetric;

    public LogEventLevel Level(int row) => _rows[row].Level;

    /// <summary>Fills <paramref name="values"/> with the row's values; text becomes strings again here.</summary>
    public void CopyTo(int row, Span<object> values)
    {
        var cells = Cells(row);
        Debug.Assert(values.Length == cells.Columns);
        for (var i = 0; i < values.Length; i++)
            values[i] = cells.NextIsText(out var text, out var value) ? new string(text) : value!;
    }

    /// <summary>The row's cells in column order, read where they lie, for the writer to bind.</summary>
    public CellReader Cells(int row)
    {
        ref readonly var head = ref _rows[row];
        return new CellReader(this, head.FirstCell, head.FirstCharacter, head.Columns);
    }

    /// <summary>Reads a row's cells one after the other: text as a span of the segment's characters, values as they are.</summary>
    public ref struct CellReader(RowSegment segment, int firstCell, int firstCharacter, int columns)
    {
        int _cell = firstCell;
        int _character = firstCharacter;
        readonly int _end = firstCell + columns;

        public readonly int Columns => columns;

        /// <summary>Reads the next cell: true with its text when it is text, false with its value when it is not.</summary>
        public bool NextIsText(out ReadOnlySpan<char> text, out object? value)
        {
            Debug.Assert(_cell < _end);
            var length = segment._textLengths[_cell];
            if (length < 0)
            {
                text = default;
                value = segment._cells[_cell++];
                return false;
            }

            text = segment._text.AsSpan(_character, length);
            value = null;
            _character += length;
            _cell++;
            return true;
        }
    }

    /// <summary>The row's event as far as the row keeps it, for a failure listener; see <see cref="LogEventRebuilder"/>.</summary>
    public LogEvent Rebuild(int row)
    {
        ref readonly var head = ref _rows[row];
        var values = new object[head.Columns];
        CopyTo(row, values);
        try
        {
            return head.IsMetric
                ? LogEventRebuilder.FromMetricRow(values, head.Timestamp, head.Level, head.Template, head.Exception)
                : LogEventRebuilder.FromLogRow(values, head.Timestamp, head.Level, head.Template, head.Exception);
        }
        catch (Exception ex)
        {
            // A report must still be made: the event without its properties.
            Serilog.Debugging.SelfLog.WriteLine("SqliteWorker: rebuilding an event from its row for a failure report failed; it is reported without its properties: {0}", ex);
            return new LogEvent(head.Timestamp, head.Level, head.Exception, head.Template, []);
        }
    }

    /// <summary>Empties the segment and lets go of what its rows referred to.</summary>
    public void Reset()
    {
        Array.Clear(_cells, 0, _cellsUsed);
        Array.Clear(_rows, 0, Count);
        _cellsUsed = 0;
        _textUsed = 0;
        Count = 0;
    }

    /// <summary>
    /// Where a row's values are, and what of its event the row does not hold: the timestamp with its offset, the level,
    /// the parsed template and the exception object, all of them references to objects that outlive the queue or value
    /// types, so keeping them costs the collector nothing per event.
    /// </summary>
    readonly record struct RowHead(int FirstCell, int FirstCharacter, int Columns, bool IsMetric, DateTimeOffset Timestamp,
        LogEventLevel Level, MessageTemplate Template, Exception? Exception);
}

/// <summary>Rows taken from the queue to be written together: slices of consecutive segments, oldest first.</summary>
sealed class RowBatch
{
    readonly List<(RowSegment Segment, int First, int Count)> _slices = [];

    public int Count { get; private set; }

    public void Add(RowSegment segment, int first, int count)
    {
        _slices.Add((segment, first, count));
        Count += count;
    }

    public void Clear()
    {
        _slices.Clear();
        Count = 0;
    }

    /// <summary>The batch's rows in order, as segment and row number.</summary>
    public IEnumerable<(RowSegment Segment, int Row)> Rows()
    {
        foreach (var (segment, first, count) in _slices)
        {
            for (var row = first; row < first + count; row++)
                yield return (segment, row);
        }
    }

    /// <summary>The batch's events, rebuilt from their rows, for failure listeners.</summary>
    public LogEvent[] RebuildEvents() => [.. Rows().Select(r => r.Segment.Rebuild(r.Row))];
}
