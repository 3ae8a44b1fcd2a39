using System.Data.SQLite;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// Reads the committed rows after a cursor, in id order, one page per statement. The sink appends rows with ids one
/// above the largest present (its tables are plain <c>INTEGER PRIMARY KEY</c> rowid tables), and SQLite lets one writer
/// commit at a time, so a reader sees every id up to the largest committed: a gap between the cursor and a row read
/// after it can only be rows that were deleted (by retention or the size limit) before they were forwarded.
/// </summary>
sealed class PendingRowReader
{
    readonly string _logsSql;
    readonly string _metricsSql;
    readonly string _quotedLogs;
    readonly string _quotedMetrics;

    public PendingRowReader(string logsTable, string metricsTable)
    {
        LogsTable = logsTable;
        MetricsTable = metricsTable;
        _quotedLogs = SqlIdentifier.Quote(logsTable);
        _quotedMetrics = SqlIdentifier.Quote(metricsTable);
        // SELECT * so that custom columns, which the sink may add on any start, come with the row under their names.
        _logsSql = $"SELECT * FROM {_quotedLogs} WHERE {SchemaColumn.Id} > @after ORDER BY {SchemaColumn.Id} LIMIT @limit";
        _metricsSql = $"SELECT * FROM {_quotedMetrics} WHERE {SchemaColumn.Id} > @after ORDER BY {SchemaColumn.Id} LIMIT @limit";
    }

    public string LogsTable { get; }

    public string MetricsTable { get; }

    public PendingBatch<LogRow> ReadLogs(SQLiteConnection connection, long afterId, int limit) =>
        Read(connection, _logsSql, LogsTable, afterId, limit, ReadLog, r => r.Id);

    public PendingBatch<MetricRow> ReadMetrics(SQLiteConnection connection, long afterId, int limit) =>
        Read(connection, _metricsSql, MetricsTable, afterId, limit, ReadMetric, r => r.Id);

    /// <summary>The number of rows after <paramref name="afterId"/>, and the timestamp of the first of them.</summary>
    public (long Count, string? FirstTimestamp) Pending(SQLiteConnection connection, string table, long afterId)
    {
        if (!TableExists(connection, table))
            return (0, null);
        using var command = connection.CreateCommand();
        var quoted = SqlIdentifier.Quote(table);
        command.CommandText = $"SELECT count(*), (SELECT {LogColumns.Timestamp} FROM {quoted} WHERE {SchemaColumn.Id} > @after " +
                              $"ORDER BY {SchemaColumn.Id} LIMIT 1) FROM {quoted} WHERE {SchemaColumn.Id} > @after";
        command.Parameters.AddWithValue("@after", afterId);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <summary>The largest id in the table, or 0 when it is empty or missing.</summary>
    public static long LastId(SQLiteConnection connection, string table)
    {
        if (!TableExists(connection, table))
            return 0;
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ifnull(max({SchemaColumn.Id}), 0) FROM {SqlIdentifier.Quote(table)}";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public static bool TableExists(SQLiteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = @name COLLATE NOCASE";
        command.Parameters.AddWithValue("@name", table);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    static PendingBatch<T> Read<T>(SQLiteConnection connection, string sql, string table, long afterId, int limit,
        Func<SQLiteDataReader, T> readRow, Func<T, long> idOf)
    {
        // Before the sink's first batch the file, or the table, may not exist yet.
        if (!TableExists(connection, table))
            return new PendingBatch<T>([], afterId, 0);

        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@after", afterId);
        command.Parameters.AddWithValue("@limit", limit);
        var rows = new List<T>();
        var last = afterId;
        long missing = 0;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = readRow(reader);
            var id = idOf(row);
            missing += id - last - 1;
            last = id;
            rows.Add(row);
        }

        return new PendingBatch<T>(rows, last, missing);
    }

    static LogRow ReadLog(SQLiteDataReader reader)
    {
        long id = 0;
        string timestamp = "", level = "", message = "", template = "";
        string? source = null, exception = null, traceId = null, spanId = null, properties = null;
        long? threadId = null;
        List<(string, object)>? custom = null;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var name = reader.GetName(i);
            if (reader.IsDBNull(i))
                continue;
            switch (name.ToLowerInvariant())
            {
                case SchemaColumn.Id: id = reader.GetInt64(i); break;
                case LogColumns.Timestamp: timestamp = Text(reader, i); break;
                case LogColumns.Level: level = Text(reader, i); break;
                case LogColumns.SourceContext: source = Text(reader, i); break;
                case LogColumns.Message: message = Text(reader, i); break;
                case LogColumns.MessageTemplate: template = Text(reader, i); break;
                case LogColumns.Exception: exception = Text(reader, i); break;
                case LogColumns.ThreadId: threadId = reader.GetValue(i) is long l ? l : null; break;
                case LogColumns.TraceId: traceId = Text(reader, i); break;
                case LogColumns.SpanId: spanId = Text(reader, i); break;
                case LogColumns.Properties: properties = Text(reader, i); break;
                default:
                    (custom ??= []).Add((name, reader.GetValue(i)));
                    break;
            }
        }

        return new LogRow(id, timestamp, level, source, message, template, exception, threadId, traceId, spanId, properties,
            (IReadOnlyList<(string, object)>?)custom ?? []);
    }

    static MetricRow ReadMetric(SQLiteDataReader reader)
    {
        long id = 0;
        string timestamp = "", name = "";
        double value = 0;
        string? unit = null, properties = null;
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (reader.IsDBNull(i))
                continue;
            switch (reader.GetName(i).ToLowerInvariant())
            {
                case SchemaColumn.Id: id = reader.GetInt64(i); break;
                case MetricColumns.Timestamp: timestamp = Text(reader, i); break;
                case MetricColumns.Name: name = Text(reader, i); break;
                case MetricColumns.Value: value = Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture); break;
                case MetricColumns.Unit: unit = Text(reader, i); break;
                case MetricColumns.Properties: properties = Text(reader, i); break;
            }
        }

        return new MetricRow(id, timestamp, name, value, unit, properties);
    }

    // A value another program stored with another type still reads as its text.
    static string Text(SQLiteDataReader reader, int ordinal) =>
        Convert.ToString(reader.GetValue(ordinal), CultureInfo.InvariantCulture) ?? "";
}
