using System.Data.SQLite;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Testing;

/// <summary>Rows stored by hand in a file the sink made, as an older version of the sink or another writer may have left them.</summary>
static class RawRows
{
    /// <summary>Adds a log row timestamped now, with <paramref name="properties"/> stored as it is; returns its id.</summary>
    public static long InsertLog(string path, string message, string properties, string level = "Information") =>
        Insert(path, "INSERT INTO logs (timestamp, level, message, message_template, properties) VALUES (@t, @l, @m, @m, @p)",
            ("@l", level), ("@m", message), ("@p", properties));

    /// <summary>Adds a metric value timestamped now, with <paramref name="properties"/> stored as it is; returns its id.</summary>
    public static long InsertMetric(string path, string name, string properties) =>
        Insert(path, "INSERT INTO metrics (timestamp, metric_name, value, properties) VALUES (@t, @n, 1.5, @p)",
            ("@n", name), ("@p", properties));

    static long Insert(string path, string sql, params (string Name, string Value)[] values)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql + " RETURNING id";
        command.Parameters.AddWithValue("@t", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture));
        foreach (var (name, value) in values)
            command.Parameters.AddWithValue(name, value);
        return (long)command.ExecuteScalar()!;
    }
}
