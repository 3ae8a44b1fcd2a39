using System.Data.SQLite;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>Connections opened as the sink opens its own: WAL, synchronous=NORMAL, the sink's schema and indexes.</summary>
static class BenchmarkDatabase
{
    /// <param name="path">The database file.</param>
    /// <param name="autoVacuum">For a new file, turns incremental auto-vacuum on or off explicitly; null leaves SQLite's default.</param>
    public static SQLiteConnection Open(string path, bool? autoVacuum = null)
    {
        var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path }.ConnectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 10000");
        // Only a file with no pages yet takes it, and only before the switch to WAL writes the first page.
        if (autoVacuum is { } on)
            Execute(connection, on ? "PRAGMA auto_vacuum = INCREMENTAL" : "PRAGMA auto_vacuum = NONE");
        Execute(connection, "PRAGMA journal_mode = WAL");
        Execute(connection, "PRAGMA synchronous = NORMAL");
        SchemaMigrator.Apply(connection, path, SinkSchema.Logs("logs", []), SinkSchema.Metrics("metrics"));
        return connection;
    }

    public static long CountLogs(string path)
    {
        if (!File.Exists(path))
            return 0;
        using var connection = Open(path);
        return Scalar(connection, "SELECT COUNT(*) FROM logs");
    }

    public static void Execute(SQLiteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public static long Scalar(SQLiteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static void Delete(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            File.Delete(file);
    }
}
