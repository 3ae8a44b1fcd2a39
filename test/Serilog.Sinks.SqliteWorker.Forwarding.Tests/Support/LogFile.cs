using System.Data.SQLite;
using System.Globalization;
using Serilog.Core;

namespace Serilog.Sinks.SqliteWorker.Forwarding.Tests.Support;

/// <summary>Databases written by the real sink, and what they hold, read with SQL.</summary>
static class LogFile
{
    /// <summary>A logger writing to <paramref name="path"/> with the thread id enricher; dispose it to flush.</summary>
    public static Logger Logger(string path, params SqliteWorkerColumn[] customColumns) =>
        new LoggerConfiguration().MinimumLevel.Verbose().Enrich.WithThreadId()
            .WriteTo.SqliteWorker(path, customColumns: customColumns, bufferingTimeLimit: TimeSpan.FromMilliseconds(50))
            .CreateLogger();

    /// <summary>Writes <paramref name="count"/> numbered events through the sink and closes it.</summary>
    public static void Write(string path, int count, int from = 0)
    {
        using var logger = Logger(path);
        for (var i = from; i < from + count; i++)
            logger.Information("Event {Number}", i);
    }

    public static long Scalar(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static string Text(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    public static void Execute(string path, string sql)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The database's identity, from which each record's log.record.uid is made.</summary>
    public static string SourceId(string path) => Text(path, "SELECT source_id FROM forwarding_source");

    static SQLiteConnection Open(string path)
    {
        var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }
}
