using System.Text;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// One row as a logging thread renders it, until the queue copies it: each column is either text, in a character
/// buffer reused row after row, or a value kept by reference (a number, <c>DBNull</c>, or a string that outlives the
/// event, such as a level name or a template's text). Text columns are set in column order, so that the text lies in
/// the buffer as the queue stores it. Rendering a row therefore makes no string of its own for the queue to copy.
/// </summary>
sealed class RenderedRow
{
    const int InitialCharacters = 1024;

    readonly object?[] _values;
    // The length of each column's text in the buffer, or -1 when the column's value is in _values.
    readonly int[] _textLengths;
    char[] _text = new char[InitialCharacters];

    public RenderedRow(int columns)
    {
        _values = new object?[columns];
        _textLengths = new int[columns];
    }

    public int Columns => _values.Length;

    /// <summary>The text of every text column, in column order.</summary>
    public ReadOnlySpan<char> Text => _text.AsSpan(0, TextLength);

    public int TextLength { get; private set; }

    /// <summary>The room the text buffer has; for tests that check it is given back after a large event.</summary>
    internal int TextCapacity => _text.Length;

    /// <summary>The column's value, or null when the column is text.</summary>
    public object? Value(int column) => _textLengths[column] < 0 ? _values[column] : null;

    /// <summary>The length of the column's text, or -1 when the column is a value.</summary>
    public int TextLengthOf(int column) => _textLengths[column];

    public void SetValue(int column, object value)
    {
        _values[column] = value;
        _textLengths[column] = -1;
    }

    public void SetText(int column, ReadOnlySpan<char> text) => text.CopyTo(StartText(column, text.Length));

    public void SetText(int column, StringBuilder text)
    {
        var destination = StartText(column, text.Length);
        foreach (var chunk in text.GetChunks())
        {
            chunk.Span.CopyTo(destination);
            destination = destination[chunk.Length..];
        }
    }

    /// <summary>Makes room for a column's text of a known length, for the caller to write into.</summary>
    public Span<char> StartText(int column, int length)
    {
        if (TextLength + length > _text.Length)
            Array.Resize(ref _text, Math.Max(_text.Length * 2, TextLength + length));

        var room = _text.AsSpan(TextLength, length);
        _textLengths[column] = length;
        _values[column] = null;
        TextLength += length;
        return room;
    }

    /// <summary>Forgets the row, and the values it referred to, before the next one.</summary>
    public void Clear()
    {
        Array.Clear(_values);
        TextLength = 0;
        // As for the rendering writers' buffers: one large event does not leave every logging thread holding its room.
        if (_text.Length > GuardedRendering.LargestKeptCharacters)
            _text = new char[InitialCharacters];
    }
}
