using System.Data;
using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Prepared inserts into one table, several rows per statement: each execution pays the provider's fixed cost once
/// for many rows. Statements of <c>rowsPerStatement</c>, half that, and so on down to one row, are prepared as they
/// are first needed, so any number of rows is written with at most one execution per size.
/// </summary>
sealed class TableInsert : IDisposable
{
    readonly SQLiteConnection _connection;
    readonly TableSchema _table;
    readonly DbType[] _columnTypes;
    readonly SQLiteCommand?[] _bySize;
    readonly SQLiteParameter[]?[] _parametersBySize;

    /// <param name="connection">The writer's connection.</param>
    /// <param name="table">The table the rows go to.</param>
    /// <param name="rowsPerStatement">The largest statement's rows; a power of two.</param>
    public TableInsert(SQLiteConnection connection, TableSchema table, int rowsPerStatement)
    {
        if (rowsPerStatement <= 0 || (rowsPerStatement & (rowsPerStatement - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(rowsPerStatement), rowsPerStatement, "The rows per statement must be a power of two.");

        _connection = connection;
        _table = table;
        _columnTypes = table.Columns.Select(c => ParameterType(c.Type)).ToArray();
        var sizes = System.Numerics.BitOperations.Log2((uint)rowsPerStatement) + 1;
        _bySize = new SQLiteCommand?[sizes];
        _parametersBySize = new SQLiteParameter[]?[sizes];
        RowsPerStatement = rowsPerStatement;
    }

    public int RowsPerStatement { get; }

    /// <summary>Inserts the buffer's rows, in order, within the caller's transaction.</summary>
    public void Insert(RowBuffer rows)
    {
        var written = 0;
        // Largest statements first, so that rows keep their order and most go through the largest statement.
        for (var size = _bySize.Length - 1; size >= 0; size--)
        {
            var rowsPerExecution = 1 << size;
            while (rows.Count - written >= rowsPerExecution)
            {
                Execute(size, rows.Rows(written, rowsPerExecution));
                written += rowsPerExecution;
            }
        }
    }

    void Execute(int size, ReadOnlySpan<object> values)
    {
        var command = _bySize[size] ?? Prepare(size);
        var parameters = _parametersBySize[size]!;
        for (var i = 0; i < values.Length; i++)
            parameters[i].Value = values[i];
        command.ExecuteNonQuery();
    }

    SQLiteCommand Prepare(int size)
    {
        var rows = 1 << size;
        var command = _connection.CreateCommand();
        command.CommandText = _table.InsertSql(rows);
        var parameters = new SQLiteParameter[rows * _columnTypes.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            // Typed once, so the provider neither infers a type per value nor fixes one from the first value it sees.
            parameters[i] = new SQLiteParameter($"@p{i}", _columnTypes[i % _columnTypes.Length]);
            command.Parameters.Add(parameters[i]);
        }

        _parametersBySize[size] = parameters;
        _bySize[size] = command;
        return command;
    }

    static DbType ParameterType(string columnType) =>
        columnType.StartsWith("INTEGER", StringComparison.OrdinalIgnoreCase) ? DbType.Int64
        : columnType.StartsWith("REAL", StringComparison.OrdinalIgnoreCase) ? DbType.Double
        : DbType.String;

    public void Dispose()
    {
        foreach (var command in _bySize)
            command?.Dispose();
    }
}
