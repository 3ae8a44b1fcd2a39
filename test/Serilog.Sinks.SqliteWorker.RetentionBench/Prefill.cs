using System.Data.SQLite;

/// <summary>Old rows written straight into the sink's tables, shaped like the rows the sink writes.</summary>
static class Prefill
{
    /// <returns>The last id of the old rows in each table: every row after it was logged by the benchmark.</returns>
    public static (long LastLogId, long LastMetricId) OldRows(string path, int rows)
    {
        var metrics = rows / 5;
        using var connection = Open(path);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.CommandText =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count) " +
            "INSERT INTO logs (timestamp, level, source_context, message, message_template, thread_id, properties) " +
            "SELECT strftime('%Y-%m-%d %H:%M:%f0000', 'now', '-2 days', (i / 1000.0) || ' seconds'), " +
            "CASE i % 20 WHEN 0 THEN 'Warning' WHEN 1 THEN 'Error' ELSE 'Information' END, 'Shop.Orders', " +
            "'Handled request ' || i || ' for \"user-' || (i % 100) || '\" in ' || (i % 250) || ' ms', " +
            "'Handled request {RequestId} for {User} in {Elapsed} ms', 7, " +
            "json_object('RequestId', i, 'User', 'user-' || (i % 100), 'Elapsed', i % 250) FROM n";
        command.Parameters.AddWithValue("@count", rows - metrics);
        command.ExecuteNonQuery();

        command.CommandText =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count) " +
            "INSERT INTO metrics (timestamp, metric_name, value, unit, properties) " +
            "SELECT strftime('%Y-%m-%d %H:%M:%f0000', 'now', '-2 days', (i / 200.0) || ' seconds'), 'metric_' || (i % 10), i % 250, 'ms', '{}' FROM n";
        command.Parameters["@count"].Value = metrics;
        command.ExecuteNonQuery();
        transaction.Commit();

        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        command.ExecuteNonQuery();
        command.CommandText = "SELECT (SELECT max(id) FROM logs), (SELECT max(id) FROM metrics)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>The file's PRAGMA auto_vacuum: 0 none, 1 full, 2 incremental.</summary>
    public static long AutoVacuum(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA auto_vacuum";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>The bytes the rows use (the pages less the free ones), and the bytes of the whole database, WAL included.</summary>
    public static (long Used, long File) UsedAndFileBytes(string path)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (page_count - freelist_count) * page_size, page_count * page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public static SQLiteConnection Open(string path)
    {
        var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        return connection;
    }
}
