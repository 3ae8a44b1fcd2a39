using System.Data.SQLite;
using System.Diagnostics;
using System.Text;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Prepared inserts into one table, several rows per statement, bound straight from the queue's segments. Rows wait here
/// until a full statement's worth has come (<see cref="Add"/>); <see cref="Flush"/> writes the rest through statements of
/// half that size, a quarter, and so on down to one row, prepared as they are first needed, so any number of rows is
/// written with at most one execution per size. Text is encoded as UTF-8 into one pinned buffer and bound in place, so a
/// row costs no allocation at all: the provider's own binding would make a string and a byte array of every text value.
/// Lone surrogates become U+FFFD, as the provider's encoding makes them.
/// </summary>
sealed unsafe class TableInsert : IDisposable
{
    const int InitialBufferBytes = 32 * 1024;

    // A statement of unusually large rows grows the buffer; above this it is given back after the statement.
    const int LargestKeptBufferBytes = 1024 * 1024;

    readonly SQLiteConnection _connection;
    readonly TableSchema _table;
    readonly StatementHandle?[] _bySize;
    readonly (RowSegment Segment, int Row)[] _waiting;
    int _waitingCount;
    byte[] _utf8 = NewBuffer(InitialBufferBytes);

    /// <param name="connection">The writer's open connection.</param>
    /// <param name="table">The table the rows go to.</param>
    /// <param name="rowsPerStatement">The largest statement's rows; a power of two.</param>
    public TableInsert(SQLiteConnection connection, TableSchema table, int rowsPerStatement)
    {
        if (rowsPerStatement <= 0 || (rowsPerStatement & (rowsPerStatement - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(rowsPerStatement), rowsPerStatement, "The rows per statement must be a power of two.");

        _connection = connection;
        _table = table;
        _bySize = new StatementHandle?[System.Numerics.BitOperations.Log2((uint)rowsPerStatement) + 1];
        _waiting = new (RowSegment, int)[rowsPerStatement];
    }

    /// <summary>
    /// Adds a row, within the caller's transaction; once a full statement's worth of rows is waiting, they are inserted.
    /// The segment must keep the row until <see cref="Flush"/> or <see cref="Clear"/>; after a failure, call
    /// <see cref="Clear"/>.
    /// </summary>
    public void Add(RowSegment segment, int row)
    {
        _waiting[_waitingCount++] = (segment, row);
        if (_waitingCount < _waiting.Length)
            return;

        Execute(_bySize.Length - 1, _waiting);
        Clear();
    }

    /// <summary>Inserts the rows still waiting, in order, within the caller's transaction.</summary>
    public void Flush()
    {
        var rows = _waiting.AsSpan(0, _waitingCount);
        // Largest statements first, so that rows keep their order.
        for (var size = _bySize.Length - 1; size >= 0; size--)
        {
            var rowsPerExecution = 1 << size;
            while (rows.Length >= rowsPerExecution)
            {
                Execute(size, rows[..rowsPerExecution]);
                rows = rows[rowsPerExecution..];
            }
        }

        Clear();
    }

    /// <summary>
    /// Forgets the rows waiting, once they are written or when their transaction failed, and lets go of their segments,
    /// which a large event can make large.
    /// </summary>
    public void Clear()
    {
        Array.Clear(_waiting, 0, _waitingCount);
        _waitingCount = 0;
    }

    void Execute(int size, ReadOnlySpan<(RowSegment Segment, int Row)> rows)
    {
        var statement = _bySize[size] ??= SqliteEngine.Prepare(_connection, _table.InsertSql(1 << size));
        var referenced = false;
        try
        {
            // The handle is used from this thread only, and kept alive for the duration by the reference taken here.
            statement.DangerousAddRef(ref referenced);
            var handle = statement.DangerousGetHandle();
            while (!TryBind(handle, rows))
                _utf8 = NewBuffer(_utf8.Length * 2);

            var rc = SqliteEngine.sqlite3_step(handle);
            if (rc != SqliteEngine.Done)
            {
                var error = SqliteEngine.LastError(handle);
                SqliteEngine.sqlite3_reset(handle);
                throw error;
            }

            SqliteEngine.sqlite3_reset(handle);
        }
        finally
        {
            if (referenced)
                statement.DangerousRelease();
            // The statement still points into the buffer, but nothing reads those bindings before they are bound anew.
            if (_utf8.Length > LargestKeptBufferBytes)
                _utf8 = NewBuffer(InitialBufferBytes);
        }
    }

    /// <summary>Binds every row's values; false, with nothing to undo, when the buffer is too small for their text.</summary>
    /// <exception cref="SQLiteException">SQLite refused a value, such as text longer than it accepts.</exception>
    bool TryBind(IntPtr statement, ReadOnlySpan<(RowSegment Segment, int Row)> rows)
    {
        var used = 0;
        var parameter = 1;
        fixed (byte* buffer = _utf8)
        {
            foreach (var (segment, row) in rows)
            {
                var cells = segment.Cells(row);
                Debug.Assert(cells.Columns == _table.Columns.Count);
                for (var column = 0; column < cells.Columns; column++, parameter++)
                {
                    int rc;
                    var isText = cells.NextIsText(out var text, out var value);
                    if (value is string kept)
                    {
                        // A string kept by reference, such as a template's text or a level's name, is bound as text too.
                        text = kept;
                        isText = true;
                    }

                    if (isText)
                    {
                        if (!Encoding.UTF8.TryGetBytes(text, _utf8.AsSpan(used), out var length))
                            return false;
                        rc = SqliteEngine.BindText(statement, parameter, buffer + used, length);
                        used += length;
                    }
                    else
                    {
                        rc = value switch
                        {
                            long number => SqliteEngine.sqlite3_bind_int64(statement, parameter, number),
                            double number => SqliteEngine.sqlite3_bind_double(statement, parameter, number),
                            null or DBNull => SqliteEngine.sqlite3_bind_null(statement, parameter),
                            _ => throw new InvalidOperationException(
                                $"A queued row of {_table.Name} holds a {value.GetType()} in column {_table.Columns[column].Name}, which the writer cannot bind."),
                        };
                    }

                    if (rc != SqliteEngine.Ok)
                        throw SqliteEngine.LastError(statement);
                }
            }
        }

        return true;
    }

    static byte[] NewBuffer(int bytes) => GC.AllocateUninitializedArray<byte>(bytes, pinned: true);

    public void Dispose()
    {
        foreach (var statement in _bySize)
            statement?.Dispose();
    }
}
