using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>A prepared single-row insert into one table, whose parameters are set by position and reused row after row.</summary>
sealed class RowInsert : IDisposable
{
    readonly SQLiteCommand _command;
    readonly SQLiteParameter[] _values;

    public RowInsert(SQLiteConnection connection, TableSchema table)
    {
        _command = connection.CreateCommand();
        _command.CommandText = table.InsertSql;
        _values = new SQLiteParameter[table.Columns.Count];
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = _command.CreateParameter();
            _values[i].ParameterName = $"@p{i}";
            _command.Parameters.Add(_values[i]);
        }
    }

    public void Set(int ordinal, object? value) => _values[ordinal].Value = value ?? DBNull.Value;

    public void Execute() => _command.ExecuteNonQuery();

    public void Dispose() => _command.Dispose();
}
