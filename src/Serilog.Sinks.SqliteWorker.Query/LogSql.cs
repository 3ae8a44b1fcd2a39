using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>The statements over the logs table. The table name is validated once; filters become bound conditions.</summary>
sealed class LogSql(string tableName)
{
    /// <summary>Every column of the SQL contract, in the order <see cref="RecordReader.ReadLog"/> reads them.</summary>
    public static readonly string Columns = string.Join(", ", [SchemaColumn.Id, .. LogColumns.All.Select(c => c.Name)]);

    // Levels from most to least severe, for MinimumLevel's IN list.
    static readonly LogEventLevel[] Levels = Enum.GetValues<LogEventLevel>();

    public string Table { get; } = SqlIdentifier.Quote(tableName);

    public string Name { get; } = tableName;

    public SqlWhere Where(LogFilter? filter, DateTimeOffset now)
    {
        var where = new SqlWhere();
        if (filter == null)
            return where;

        if (filter.Level is { } level)
            where.And($"level = {where.Bind(level.ToString())}");
        else if (filter.MinimumLevel is { } minimum && minimum > LogEventLevel.Verbose)
            // An IN list of level names keeps the (level, timestamp) index usable: SQLite seeks once per name.
            where.And($"level IN ({string.Join(", ", Levels.Where(l => l >= minimum).Select(l => where.Bind(l.ToString())))})");

        TimeRange.AddTo(where, filter.Since, filter.Until, filter.Within, now);

        if (filter.SourceContext != null)
            where.And($"source_context = {where.Bind(filter.SourceContext)}");
        if (filter.MessageContains != null)
            where.And($"message LIKE {where.Bind("%" + EscapeLike(filter.MessageContains) + "%")} ESCAPE '\\'");
        if (filter.PropertyPath != null)
            PropertyMatch.AddTo(where, filter.PropertyPath, filter.PropertyValue);
        if (filter.ThreadId is { } threadId)
            where.And($"thread_id = {where.Bind(threadId)}");
        if (filter.TraceId != null)
            where.And($"trace_id = {where.Bind(filter.TraceId.ToLowerInvariant())}");
        return where;
    }

    public string Select(SqlWhere where, ResultOrder order, string limitParameter) =>
        $"SELECT {Columns} FROM {Table}{where.Clause} {OrderBy(order)} LIMIT {limitParameter}";

    /// <summary>Rows after <paramref name="after"/> in <paramref name="order"/>, so that the time index bounds the scan.</summary>
    public static void AddPosition(SqlWhere where, ResultOrder order, RowPosition after)
    {
        var timestamp = where.Bind(TimestampText.Format(after.Timestamp));
        var id = where.Bind(after.Id);
        where.And(order == ResultOrder.NewestFirst
            ? $"timestamp <= {timestamp} AND (timestamp < {timestamp} OR id < {id})"
            : $"timestamp >= {timestamp} AND (timestamp > {timestamp} OR id > {id})");
    }

    public static string OrderBy(ResultOrder order) =>
        order == ResultOrder.NewestFirst ? "ORDER BY timestamp DESC, id DESC" : "ORDER BY timestamp, id";

    /// <summary>One group per value of <paramref name="keyExpression"/>, most frequent first, with its share of the total.</summary>
    public string CountBy(string keyExpression, SqlWhere where, string limitParameter) =>
        $"SELECT {keyExpression} AS k, count(*) AS n, count(*) * 100.0 / sum(count(*)) OVER () AS pct " +
        $"FROM {Table}{where.Clause} GROUP BY k ORDER BY n DESC, k LIMIT {limitParameter}";

    /// <summary>Rows per level in each bucket (the first <paramref name="bucketLengthParameter"/> characters of the timestamp).</summary>
    public string CountPerBucket(SqlWhere where, string bucketLengthParameter) =>
        $"SELECT substr(timestamp, 1, {bucketLengthParameter}) AS bucket, level, count(*) FROM {Table}{where.Clause} " +
        "GROUP BY bucket, level ORDER BY bucket, level";

    public string Totals(SqlWhere where) => $"SELECT count(*), min(timestamp), max(timestamp) FROM {Table}{where.Clause}";

    /// <summary>Exceptions grouped by their first line (type and message), which <c>Exception.ToString()</c> puts first.</summary>
    public string TopExceptions(SqlWhere where, string limitParameter) =>
        "SELECT first_line, count(*) AS n, max(timestamp) FROM (" +
        "SELECT rtrim(substr(exception, 1, instr(exception || char(10), char(10)) - 1), char(13)) AS first_line, timestamp " +
        $"FROM {Table}{where.And("exception IS NOT NULL").Clause}) " +
        $"GROUP BY first_line ORDER BY n DESC, first_line LIMIT {limitParameter}";

    public string AfterId(SqlWhere where, string afterIdParameter, string limitParameter) =>
        $"SELECT {Columns} FROM {Table}{where.And($"id > {afterIdParameter}").Clause} ORDER BY id LIMIT {limitParameter}";

    public string ById(SqlWhere where, string idParameter) => $"SELECT {Columns} FROM {Table} WHERE id = {idParameter}";

    public string LastId => $"SELECT coalesce(max(id), 0) FROM {Table}";

    public string ExportSelect(SqlWhere where) => $"SELECT {Columns} FROM {Table}{where.Clause} {OrderBy(ResultOrder.OldestFirst)}";

    static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
