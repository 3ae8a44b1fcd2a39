using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>Files set up for the retention tests: the sink's tables, and rows of their shape written straight into them.</summary>
static class RetentionFiles
{
    /// <summary>
    /// The sink's tables, with one row, made in a new file by a sink that is then closed; with a size limit, the file is
    /// made with incremental auto-vacuum.
    /// </summary>
    public static async Task CreateTables(string path, long? maxDatabaseSize = null)
    {
        using var sink = SinkFactory.Create(path, o => o.MaxDatabaseSize = maxDatabaseSize);
        await sink.EmitBatchAsync([Some.LogEvent("Creates the tables")]);
    }

    /// <summary>Rows of the sink's shape, with these timestamps, written straight into the table in one transaction.</summary>
    public static void Insert(string path, string table, IEnumerable<DateTimeOffset> timestamps, int paddingBytes)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText = table == "logs"
            ? "INSERT INTO logs (timestamp, level, message, message_template, properties) VALUES (@timestamp, 'Information', 'Old', 'Old', @properties)"
            : "INSERT INTO metrics (timestamp, metric_name, value, properties) VALUES (@timestamp, 'old', 1, @properties)";
        var timestamp = command.Parameters.Add("@timestamp", System.Data.DbType.String);
        command.Parameters.AddWithValue("@properties", $"{{\"Padding\":\"{new string('x', paddingBytes)}\"}}");
        foreach (var at in timestamps)
        {
            timestamp.Value = at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }
}
