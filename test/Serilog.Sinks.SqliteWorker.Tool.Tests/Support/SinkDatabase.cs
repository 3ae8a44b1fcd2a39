using System.Data.SQLite;
using System.Globalization;
using Serilog.Core;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

/// <summary>Databases written the way applications write them: a real logger with <c>WriteTo.SqliteWorker</c>.</summary>
static class SinkDatabase
{
    public static Logger CreateLogger(string path) =>
        new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(50))
            .CreateLogger();

    /// <summary>Logs through a fresh logger and disposes it, which writes everything before returning.</summary>
    public static void Write(string path, Action<ILogger> log)
    {
        using var logger = CreateLogger(path);
        log(logger);
    }

    /// <summary>
    /// Moves metric rows back in time. The sink stamps a metric when it is recorded, so test set-up moves them afterwards
    /// to spread them over hours, as a long-running application's would be.
    /// </summary>
    public static void SetMetricTimestamps(string path, Func<long, DateTimeOffset> timestampOfId)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var ids = new List<long>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id FROM metrics ORDER BY id";
            using var reader = select.ExecuteReader();
            while (reader.Read())
                ids.Add(reader.GetInt64(0));
        }

        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE metrics SET timestamp = @t WHERE id = @id";
        var time = update.Parameters.Add("@t", System.Data.DbType.String);
        var id = update.Parameters.Add("@id", System.Data.DbType.Int64);
        foreach (var rowId in ids)
        {
            time.Value = timestampOfId(rowId).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            id.Value = rowId;
            update.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
