using System.Data.SQLite;
using System.Globalization;

namespace SqliteWorkerSample;

/// <summary>The seed's end-of-run summary, read back from the database with plain SQL, for this run's rows only.</summary>
static class RunSummary
{
    public static void Print(string databasePath, DateTimeOffset runStarted, TimeSpan elapsed)
    {
        using var connection = new SQLiteConnection(
            new SQLiteConnectionStringBuilder { DataSource = databasePath, FailIfMissing = true, ReadOnly = true }.ConnectionString);
        connection.Open();
        var since = runStarted.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);

        var logs = Scalar(connection, "SELECT COUNT(*) FROM logs WHERE timestamp >= @since", since);
        var metrics = Scalar(connection, "SELECT COUNT(*) FROM metrics WHERE timestamp >= @since", since);
        Console.WriteLine("Summary");
        Console.WriteLine($"   Total logs:      {logs,12:N0}");
        Console.WriteLine($"   Total metrics:   {metrics,12:N0}");
        Console.WriteLine($"   Logs per second: {logs / elapsed.TotalSeconds,12:N2}");

        Section("Logs by level");
        foreach (var row in Rows(connection,
                     "SELECT level, COUNT(*), 100.0 * COUNT(*) / SUM(COUNT(*)) OVER () FROM logs WHERE timestamp >= @since " +
                     "GROUP BY level ORDER BY COUNT(*) DESC", since))
            Console.WriteLine($"   {row[0],-12}{row[1],10:N0} ({row[2],5:F1}%)");

        Section("Logs by thread");
        foreach (var row in Rows(connection,
                     "SELECT thread_id, COUNT(*) AS log_count FROM logs WHERE timestamp >= @since GROUP BY thread_id ORDER BY log_count DESC", since))
            Console.WriteLine($"   thread {row[0],-5}{row[1],10:N0}");

        Section("Last 5 logs");
        foreach (var row in Rows(connection,
                     "SELECT timestamp, level, source_context, message FROM logs WHERE timestamp >= @since ORDER BY id DESC LIMIT 5", since))
            Console.WriteLine($"   {row[0]} [{row[1]}] {row[2]}: {row[3]}");

        Section("Recent errors");
        foreach (var row in Rows(connection,
                     "SELECT timestamp, source_context, message FROM logs WHERE level = 'Error' AND timestamp >= @since " +
                     "ORDER BY timestamp DESC LIMIT 5", since))
            Console.WriteLine($"   {row[0]} {row[1]}: {row[2]}");

        Section("Metric samples");
        foreach (var row in Rows(connection,
                     "SELECT metric_name, COUNT(*), AVG(value), MAX(value), unit FROM metrics WHERE timestamp >= @since " +
                     "GROUP BY metric_name, unit ORDER BY metric_name", since))
            Console.WriteLine($"   {row[0],-32}{row[1],8:N0} samples, avg {row[2],8:F2} {row[4]}, max {row[3],8:F2} {row[4]}");

        Console.WriteLine();
        Console.WriteLine($"Open it yourself: sqlite3 {databasePath} \"SELECT level, COUNT(*) FROM logs GROUP BY level\"");
    }

    static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine(title);
    }

    static long Scalar(SQLiteConnection connection, string sql, string since) => (long)Rows(connection, sql, since).Single()[0]!;

    static List<object?[]> Rows(SQLiteConnection connection, string sql, string since)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@since", since);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }

        return rows;
    }
}
