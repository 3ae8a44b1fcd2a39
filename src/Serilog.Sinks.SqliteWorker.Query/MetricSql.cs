namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>The statements over the metrics table. The table name is validated once; filters become bound conditions.</summary>
sealed class MetricSql(string tableName)
{
    /// <summary>Every column of the SQL contract, in the order <see cref="RecordReader.ReadMetric"/> reads them.</summary>
    public static readonly string Columns = string.Join(", ", [SchemaColumn.Id, .. MetricColumns.All.Select(c => c.Name)]);

    // Sorts after every string that starts with a prefix, in SQLite's binary (UTF-8 byte) order; U+10FFFF is a
    // noncharacter, so no real name is cut off. This turns a prefix into an index range, which LIKE would not give.
    const string AfterEveryContinuation = "\U0010FFFF";

    public string Table { get; } = SqlIdentifier.Quote(tableName);

    public string Name { get; } = tableName;

    public SqlWhere Where(MetricFilter? filter, DateTimeOffset now)
    {
        var where = new SqlWhere();
        if (filter == null)
            return where;

        if (filter.Name != null)
            where.And($"metric_name = {where.Bind(filter.Name)}");
        else if (filter.NamePrefix != null)
            AddPrefix(where, filter.NamePrefix);

        TimeRange.AddTo(where, filter.Since, filter.Until, filter.Within, now);
        return where;
    }

    public static void AddPrefix(SqlWhere where, string prefix) =>
        where.And($"metric_name >= {where.Bind(prefix)} AND metric_name < {where.Bind(prefix + AfterEveryContinuation)}");

    public string Select(SqlWhere where, ResultOrder order, string limitParameter) =>
        $"SELECT {Columns} FROM {Table}{where.Clause} {LogSql.OrderBy(order)} LIMIT {limitParameter}";

    public string Totals(SqlWhere where) => $"SELECT count(*), min(timestamp), max(timestamp) FROM {Table}{where.Clause}";

    /// <summary>
    /// Count, min, max, mean and nearest-rank percentiles per bucket (the first <paramref name="bucketLengthParameter"/>
    /// characters of the timestamp; 0 makes one bucket). One sort by (bucket, value) numbers the rows; the percentile
    /// of rank ceil(p × n) is picked in SQL, so only one row per bucket reaches .NET.
    /// </summary>
    public string Summary(SqlWhere where, string bucketLengthParameter) =>
        "SELECT bucket, count(*), min(value), max(value), avg(value), " +
        Percentile(50) + ", " + Percentile(95) + ", " + Percentile(99) + " " +
        $"FROM (SELECT substr(timestamp, 1, {bucketLengthParameter}) AS bucket, value, " +
        "row_number() OVER win AS rn, " +
        "count(*) OVER (win ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS n " +
        $"FROM {Table}{where.Clause} " +
        $"WINDOW win AS (PARTITION BY substr(timestamp, 1, {bucketLengthParameter}) ORDER BY value)) " +
        "GROUP BY bucket ORDER BY bucket";

    // ceil(p * n / 100) in integer arithmetic, so that no floating-point rounding can move a rank.
    static string Percentile(int p) => $"max(CASE WHEN rn = (n * {p} + 99) / 100 THEN value END)";

    /// <summary>One group per metric name, most frequent first, with its share of the total.</summary>
    public string CountByName(SqlWhere where) =>
        "SELECT metric_name AS k, count(*) AS n, count(*) * 100.0 / sum(count(*)) OVER () AS pct " +
        $"FROM {Table}{where.Clause} GROUP BY k ORDER BY n DESC, k";

    public string AfterId(SqlWhere where, string afterIdParameter, string limitParameter) =>
        $"SELECT {Columns} FROM {Table}{where.And($"id > {afterIdParameter}").Clause} ORDER BY id LIMIT {limitParameter}";

    public string LastId => $"SELECT coalesce(max(id), 0) FROM {Table}";

    public string ExportSelect(SqlWhere where) => $"SELECT {Columns} FROM {Table}{where.Clause} {LogSql.OrderBy(ResultOrder.OldestFirst)}";
}
