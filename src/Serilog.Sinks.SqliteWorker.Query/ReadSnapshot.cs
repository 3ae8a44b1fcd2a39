using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// A deferred read transaction: the statements inside it see one snapshot of the database, whatever the sink commits
/// meanwhile. (The provider's own transactions begin IMMEDIATE, which takes a write lock a read-only connection cannot.)
/// </summary>
sealed class ReadSnapshot : IDisposable
{
    readonly SQLiteConnection _connection;

    public ReadSnapshot(SQLiteConnection connection)
    {
        _connection = connection;
        Execute("BEGIN DEFERRED");
    }

    public void Dispose()
    {
        // An interrupted statement can end the transaction itself; ending it again would hide the original error.
        if (!_connection.AutoCommit)
            Execute("COMMIT");
    }

    void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
