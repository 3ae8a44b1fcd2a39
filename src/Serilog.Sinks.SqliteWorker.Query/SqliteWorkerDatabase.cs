using System.Data.SQLite;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Typed reports over a database written by Serilog.Sinks.SqliteWorker, read on a read-only connection of its own.
/// Under the sink's WAL journal, reading never blocks the sink's writer, so a running application's file can be read
/// at any time. Only <see cref="DeleteOlderThan"/> writes, on a connection of its own.
/// </summary>
/// <remarks>
/// <para>The report methods are synchronous, because SQLite answers in-process and its ADO.NET provider has no
/// asynchronous I/O to offer; their <see cref="CancellationToken"/> interrupts the running statement. The live tail
/// and the exports, which wait or write to a stream, are asynchronous.</para>
/// <para>An instance may be shared by threads: its report calls run one at a time on its connection. The tail,
/// the exports and the backup each use a connection of their own, so they do not hold up the reports.</para>
/// </remarks>
/// <example><code>
/// using var db = SqliteWorkerDatabase.Open("logs.db");
/// foreach (var error in db.GetErrorsInLastHour())
///     Console.WriteLine($"{error.Timestamp:u} {error.Message}");
/// </code></example>
public sealed class SqliteWorkerDatabase : IDisposable
{
    /// <summary>The number of rows a query returns when no limit is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The number of groups a top-N report returns when no number is given.</summary>
    public const int DefaultTop = 10;

    /// <summary>How often a live tail looks for new rows when no interval is given.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    readonly DatabaseFile _file;
    readonly LogSql _logs;
    readonly MetricSql _metrics;
    readonly SQLiteConnection _connection;
    readonly Lock _gate = new();
    bool _disposed;

    SqliteWorkerDatabase(DatabaseFile file, LogSql logs, MetricSql metrics, SQLiteConnection connection)
    {
        _file = file;
        _logs = logs;
        _metrics = metrics;
        _connection = connection;
    }

    /// <summary>The full path of the database file, or the URI of a shared in-memory database as it was given.</summary>
    public string DatabasePath => _file.FilePath ?? _file.MemoryUri!;

    /// <summary>
    /// Opens a database written by the sink, read-only. Nothing is created: a missing file is an error.
    /// </summary>
    /// <param name="databasePath">The database, as given to <c>WriteTo.SqliteWorker()</c>: a file path (a relative one
    /// is resolved against the current directory), a <c>file:</c> URI, or the URI of a shared in-memory database such as
    /// <c>file:order-tests?mode=memory&amp;cache=shared</c>, which a connection in this process must keep open.</param>
    /// <param name="logsTableName">The logs table, as configured on the sink. The default is <c>logs</c>.</param>
    /// <param name="metricsTableName">The metrics table, as configured on the sink. The default is <c>metrics</c>.</param>
    /// <returns>The open database; dispose it to close its connection.</returns>
    /// <exception cref="ArgumentException">The path or a table name is not valid; the message says which.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="databasePath"/>, or no connection in
    /// this process holds the shared in-memory database it names.</exception>
    /// <exception cref="InvalidDataException">The file is not a SQLite database, or does not hold the sink's tables.</exception>
    public static SqliteWorkerDatabase Open(string databasePath, string logsTableName = "logs", string metricsTableName = "metrics")
    {
        var logsTable = SqlIdentifier.Validate(logsTableName, nameof(logsTableName));
        var metricsTable = SqlIdentifier.Validate(metricsTableName, nameof(metricsTableName));
        if (string.Equals(logsTable, metricsTable, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"logsTableName and metricsTableName are both '{logsTable}'; the sink keeps logs and metrics in different tables.",
                nameof(metricsTableName));

        var file = DatabaseFile.Resolve(databasePath);
        var connection = file.Open();
        try
        {
            file.CheckSchema(connection, logsTable, metricsTable);
            return new SqliteWorkerDatabase(file, new LogSql(logsTable), new MetricSql(metricsTable), connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Log rows matching <paramref name="filter"/>, in <paramref name="order"/> (by timestamp, then id).
    /// </summary>
    /// <param name="filter">Which rows; null for all.</param>
    /// <param name="limit">The most rows to return, at least 1. The default is <see cref="DefaultLimit"/>.</param>
    /// <param name="order">Newest or oldest first. The default is <see cref="ResultOrder.NewestFirst"/>.</param>
    /// <param name="after">For the next page: the <see cref="LogRecord.Position"/> of the last row of the previous
    /// page, asked with the same filter and order.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>At most <paramref name="limit"/> rows.</returns>
    /// <exception cref="ArgumentException">The filter or limit is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<LogRecord> GetLogs(LogFilter? filter = null, int limit = DefaultLimit,
        ResultOrder order = ResultOrder.NewestFirst, RowPosition? after = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        CheckPositive(limit, nameof(limit));
        CheckOrder(order);

        return Run(cancellationToken, connection =>
        {
            var where = _logs.Where(filter, DateTimeOffset.UtcNow);
            if (after is { } position)
                LogSql.AddPosition(where, order, position);
            return ReadList(connection, _logs.Select(where, order, where.Bind(limit)), where, RecordReader.ReadLog);
        });
    }

    /// <summary>
    /// Metric rows matching <paramref name="filter"/>, in <paramref name="order"/> (by timestamp, then id).
    /// </summary>
    /// <param name="filter">Which rows, usually a name or name prefix and a time range; null for all.</param>
    /// <param name="limit">The most rows to return, at least 1. The default is <see cref="DefaultLimit"/>.</param>
    /// <param name="order">Newest or oldest first. The default is <see cref="ResultOrder.NewestFirst"/>.</param>
    /// <param name="after">For the next page: the <see cref="MetricRecord.Position"/> of the last row of the previous
    /// page, asked with the same filter and order.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>At most <paramref name="limit"/> rows.</returns>
    /// <exception cref="ArgumentException">The filter or limit is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<MetricRecord> GetMetrics(MetricFilter? filter = null, int limit = DefaultLimit,
        ResultOrder order = ResultOrder.NewestFirst, RowPosition? after = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        CheckPositive(limit, nameof(limit));
        CheckOrder(order);

        return Run(cancellationToken, connection =>
        {
            var where = _metrics.Where(filter, DateTimeOffset.UtcNow);
            if (after is { } position)
                LogSql.AddPosition(where, order, position);
            return ReadList(connection, _metrics.Select(where, order, where.Bind(limit)), where, RecordReader.ReadMetric);
        });
    }

    /// <summary>
    /// Totals, first and last timestamps, rates, and log counts by level, thread and source context, read in one
    /// snapshot. Counting reads every row in the range: on millions of rows, prefer a time range, or
    /// <see cref="CountByLevel"/> alone, which is answered from an index.
    /// </summary>
    /// <param name="since">Count only rows at or after this time; null for no lower bound.</param>
    /// <param name="until">Count only rows before this time; null for no upper bound.</param>
    /// <param name="cancellationToken">Interrupts the queries.</param>
    /// <returns>The statistics.</returns>
    /// <exception cref="ArgumentException"><paramref name="since"/> is later than <paramref name="until"/>.</exception>
    public DatabaseStatistics GetStatistics(DateTimeOffset? since = null, DateTimeOffset? until = null,
        CancellationToken cancellationToken = default)
    {
        TimeRange.Validate(since, until, null, nameof(since));
        var filter = new LogFilter { Since = since, Until = until };
        var metricFilter = new MetricFilter { Since = since, Until = until };

        return Run(cancellationToken, connection =>
        {
            // One read transaction, so that the sink's writes between the statements cannot make the parts disagree.
            using var snapshot = new ReadSnapshot(connection);
            var now = DateTimeOffset.UtcNow;
            var (logCount, logFirst, logLast) = ReadTotals(connection, _logs.Totals, _logs.Where(filter, now));
            var (metricCount, metricFirst, metricLast) = ReadTotals(connection, _metrics.Totals, _metrics.Where(metricFilter, now));
            var first = Min(logFirst, metricFirst);
            var last = Max(logLast, metricLast);
            var seconds = last - first is { TotalSeconds: > 0 } span ? span.TotalSeconds : (double?)null;

            return new DatabaseStatistics(
                logCount,
                metricCount,
                first,
                last,
                logCount / seconds,
                metricCount / seconds,
                CountBy(connection, "level", filter, now, -1, r => RecordReader.ParseLevel(r.GetString(0))),
                CountBy(connection, "thread_id", filter, now, -1, r => RecordReader.Int64OrNull(r, 0)),
                CountBy(connection, "source_context", filter, now, -1, r => RecordReader.StringOrNull(r, 0)));
        });
    }

    /// <summary>Log rows per level, most frequent first, with each level's share. Answered from the (level, timestamp) index.</summary>
    /// <param name="filter">Which rows to count; null for all.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>One group per level present.</returns>
    /// <exception cref="ArgumentException">The filter is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<GroupCount<LogEventLevel>> CountByLevel(LogFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return Run(cancellationToken, connection =>
            CountBy(connection, "level", filter, DateTimeOffset.UtcNow, -1, r => RecordReader.ParseLevel(r.GetString(0))));
    }

    /// <summary>
    /// Log rows per thread id, most frequent first, with each thread's share: the seed's "logs by thread" report.
    /// Rows without a thread id form one group whose key is null.
    /// </summary>
    /// <param name="filter">Which rows to count; null for all.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>One group per thread.</returns>
    /// <exception cref="ArgumentException">The filter is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<GroupCount<long?>> CountByThread(LogFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return Run(cancellationToken, connection =>
            CountBy(connection, "thread_id", filter, DateTimeOffset.UtcNow, -1, r => RecordReader.Int64OrNull(r, 0)));
    }

    /// <summary>
    /// Log rows per source context, most frequent first, with each one's share. Rows without a source context form
    /// one group whose key is null.
    /// </summary>
    /// <param name="filter">Which rows to count; null for all.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>One group per source context.</returns>
    /// <exception cref="ArgumentException">The filter is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<GroupCount<string?>> CountBySourceContext(LogFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return Run(cancellationToken, connection =>
            CountBy(connection, "source_context", filter, DateTimeOffset.UtcNow, -1, r => RecordReader.StringOrNull(r, 0)));
    }

    /// <summary>
    /// Log rows per level in each minute or hour (UTC) that has rows, for a stacked bar chart of events over time.
    /// Answered from the (level, timestamp) index.
    /// </summary>
    /// <param name="filter">Which rows to count; null for all. Give a time range on large databases.</param>
    /// <param name="bucketSize">One bucket per minute or per hour.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>One count per bucket and level present, earliest bucket first, then by level.</returns>
    /// <exception cref="ArgumentException">The filter or bucket size is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<LevelBucket> CountByLevelPerBucket(LogFilter? filter, MetricBucketSize bucketSize,
        CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        var length = BucketLength(bucketSize);
        return Run(cancellationToken, connection =>
        {
            var where = _logs.Where(filter, DateTimeOffset.UtcNow);
            var rows = ReadList(connection, _logs.CountPerBucket(where, where.Bind(length)), where, r => new LevelBucket(
                TimestampText.ParseBucket(r.GetString(0)), RecordReader.ParseLevel(r.GetString(1)), r.GetInt64(2)));
            // SQL sorted the level names as text; within a bucket, severity order is the one a chart stacks by.
            rows.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Level.CompareTo(b.Level));
            return rows;
        });
    }

    /// <summary>
    /// Metric rows per metric name, most frequent first, with each name's share: which metrics the database holds.
    /// </summary>
    /// <param name="filter">Which rows to count, usually a time range or a name prefix; null for all.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>One group per metric name.</returns>
    /// <exception cref="ArgumentException">The filter is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<GroupCount<string>> CountByMetricName(MetricFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return Run(cancellationToken, connection =>
        {
            var where = _metrics.Where(filter, DateTimeOffset.UtcNow);
            return ReadList(connection, _metrics.CountByName(where), where,
                r => new GroupCount<string>(r.GetString(0), r.GetInt64(1), r.GetDouble(2)));
        });
    }

    /// <summary>
    /// The most frequent message templates, with each one's share of the rows: which events are noisy.
    /// </summary>
    /// <param name="filter">Which rows to count; null for all.</param>
    /// <param name="top">How many templates to return, at least 1. The default is <see cref="DefaultTop"/>.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>At most <paramref name="top"/> groups, most frequent first.</returns>
    /// <exception cref="ArgumentException">The filter or number is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<GroupCount<string>> CountByMessageTemplate(LogFilter? filter = null, int top = DefaultTop,
        CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        CheckPositive(top, nameof(top));
        return Run(cancellationToken, connection =>
            CountBy(connection, "message_template", filter, DateTimeOffset.UtcNow, top, r => r.GetString(0)));
    }

    /// <summary>
    /// The most frequent exceptions among the log rows, grouped by the first line of the exception text: its type and
    /// message.
    /// </summary>
    /// <param name="filter">Which rows to look at; null for all. Rows without an exception are always left out.</param>
    /// <param name="top">How many groups to return, at least 1. The default is <see cref="DefaultTop"/>.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>At most <paramref name="top"/> groups, most frequent first.</returns>
    /// <exception cref="ArgumentException">The filter or number is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<ExceptionGroup> GetTopExceptions(LogFilter? filter = null, int top = DefaultTop,
        CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        CheckPositive(top, nameof(top));
        return Run(cancellationToken, connection =>
        {
            var where = _logs.Where(filter, DateTimeOffset.UtcNow);
            return ReadList(connection, _logs.TopExceptions(where, where.Bind(top)), where, r =>
            {
                var firstLine = r.GetString(0);
                var colon = firstLine.IndexOf(':', StringComparison.Ordinal);
                return new ExceptionGroup(colon < 0 ? firstLine : firstLine[..colon], firstLine, r.GetInt64(1),
                    TimestampText.Parse(r.GetString(2)));
            });
        });
    }

    /// <summary>
    /// Count, minimum, maximum, mean and p50/p95/p99 of the metric values matching <paramref name="filter"/>. The
    /// percentiles are computed by SQLite, which sorts the values in its own bounded memory and temporary storage;
    /// only the result reaches .NET.
    /// </summary>
    /// <param name="filter">The metric's <see cref="MetricFilter.Name"/> (or <see cref="MetricFilter.NamePrefix"/>) and
    /// usually a time window.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>The summary; its count is 0 and its values null when no row matches.</returns>
    /// <exception cref="ArgumentException">The filter names no metric, or is not valid; the message says what is wrong.</exception>
    public MetricSummary SummarizeMetric(MetricFilter filter, CancellationToken cancellationToken = default)
    {
        CheckNamesMetric(filter);
        return Summarize(filter, 0, cancellationToken) is [var only] ? only.Summary : new MetricSummary(0, null, null, null, null, null, null);
    }

    /// <summary>
    /// The summary of <see cref="SummarizeMetric"/> for each minute or hour (UTC) that has values, for a chart.
    /// </summary>
    /// <param name="filter">The metric's <see cref="MetricFilter.Name"/> (or <see cref="MetricFilter.NamePrefix"/>) and
    /// usually a time window.</param>
    /// <param name="bucketSize">One bucket per minute or per hour.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>One bucket per minute or hour that has values, earliest first.</returns>
    /// <exception cref="ArgumentException">The filter names no metric, or an argument is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<MetricBucket> SummarizeMetricPerBucket(MetricFilter filter, MetricBucketSize bucketSize,
        CancellationToken cancellationToken = default)
    {
        CheckNamesMetric(filter);
        return Summarize(filter, BucketLength(bucketSize), cancellationToken);
    }

    /// <summary>
    /// The seed's "errors in the last hour": log rows of level <see cref="LogEventLevel.Error"/> or
    /// <see cref="LogEventLevel.Fatal"/> from the last hour, newest first.
    /// </summary>
    /// <param name="limit">The most rows to return, at least 1. The default is <see cref="DefaultLimit"/>.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>At most <paramref name="limit"/> rows.</returns>
    /// <exception cref="ArgumentException"><paramref name="limit"/> is less than 1.</exception>
    public IReadOnlyList<LogRecord> GetErrorsInLastHour(int limit = DefaultLimit, CancellationToken cancellationToken = default) =>
        GetLogs(new LogFilter { MinimumLevel = LogEventLevel.Error, Within = TimeSpan.FromHours(1) }, limit,
            ResultOrder.NewestFirst, null, cancellationToken);

    /// <summary>
    /// The seed's "average response time": the mean of a metric's values over the last hour.
    /// </summary>
    /// <param name="metricName">The metric, such as <c>response_time</c>.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>The mean, or null when the metric has no values in the last hour.</returns>
    /// <exception cref="ArgumentException"><paramref name="metricName"/> is empty.</exception>
    public double? GetAverageInLastHour(string metricName, CancellationToken cancellationToken = default)
    {
        var filter = new MetricFilter { Name = metricName, Within = TimeSpan.FromHours(1) };
        CheckNamesMetric(filter);
        return Run(cancellationToken, connection =>
        {
            var where = _metrics.Where(filter, DateTimeOffset.UtcNow);
            using var command = Command(connection, _metrics.Average(where), where);
            return command.ExecuteScalar() is double average ? average : (double?)null;
        });
    }

    /// <summary>
    /// The seed's "top N slowest operations": the metric names starting with <paramref name="metricNamePrefix"/>,
    /// ordered by their largest value.
    /// </summary>
    /// <param name="metricNamePrefix">The start of the names, such as <c>operation_duration_</c>.</param>
    /// <param name="top">How many names to return, at least 1. The default is <see cref="DefaultTop"/>.</param>
    /// <param name="since">Only values at or after this time; null for no lower bound.</param>
    /// <param name="until">Only values before this time; null for no upper bound.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>At most <paramref name="top"/> names, largest maximum first.</returns>
    /// <exception cref="ArgumentException">An argument is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<MetricMaximum> GetSlowestOperations(string metricNamePrefix, int top = DefaultTop,
        DateTimeOffset? since = null, DateTimeOffset? until = null, CancellationToken cancellationToken = default)
    {
        var filter = new MetricFilter { NamePrefix = metricNamePrefix, Since = since, Until = until };
        CheckNamesMetric(filter);
        CheckPositive(top, nameof(top));
        return Run(cancellationToken, connection =>
        {
            var where = _metrics.Where(filter, DateTimeOffset.UtcNow);
            return ReadList(connection, _metrics.Maxima(where, where.Bind(top)), where,
                r => new MetricMaximum(r.GetString(0), r.GetDouble(1), r.GetInt64(2)));
        });
    }

    /// <summary>
    /// Log rows written after <paramref name="afterId"/>, oldest first, as they arrive: the first rows come at once,
    /// then the table is polled every <paramref name="pollInterval"/> until <paramref name="cancellationToken"/> is
    /// cancelled, which ends the enumeration quietly. The tail reads on a connection of its own.
    /// </summary>
    /// <param name="afterId">Start after this row id; null starts after the last row present now, so that only new rows come.</param>
    /// <param name="filter">Which rows; null for all.</param>
    /// <param name="pollInterval">How long to wait when no new rows are found. The default is <see cref="DefaultPollInterval"/>.</param>
    /// <param name="cancellationToken">Ends the tail.</param>
    /// <returns>The rows, in the order they were written.</returns>
    /// <exception cref="ArgumentException">An argument is not valid; the message says what is wrong.</exception>
    public IAsyncEnumerable<LogRecord> TailLogsAsync(long? afterId = null, LogFilter? filter = null, TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        var interval = CheckPollInterval(pollInterval);
        var start = afterId ?? Run(cancellationToken, connection => ReadLastId(connection, _logs.LastId));
        return RowTail.Read(_file, start, interval, RecordReader.ReadLog, r => r.Id,
            (where, after, limit) => _logs.AfterId(where, after, limit), now => _logs.Where(filter, now), cancellationToken);
    }

    /// <summary>
    /// Metric rows written after <paramref name="afterId"/>, oldest first, as they arrive; see <see cref="TailLogsAsync"/>.
    /// </summary>
    /// <param name="afterId">Start after this row id; null starts after the last row present now, so that only new rows come.</param>
    /// <param name="filter">Which rows; null for all.</param>
    /// <param name="pollInterval">How long to wait when no new rows are found. The default is <see cref="DefaultPollInterval"/>.</param>
    /// <param name="cancellationToken">Ends the tail.</param>
    /// <returns>The rows, in the order they were written.</returns>
    /// <exception cref="ArgumentException">An argument is not valid; the message says what is wrong.</exception>
    public IAsyncEnumerable<MetricRecord> TailMetricsAsync(long? afterId = null, MetricFilter? filter = null, TimeSpan? pollInterval = null,
        CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        var interval = CheckPollInterval(pollInterval);
        var start = afterId ?? Run(cancellationToken, connection => ReadLastId(connection, _metrics.LastId));
        return RowTail.Read(_file, start, interval, RecordReader.ReadMetric, r => r.Id,
            (where, after, limit) => _metrics.AfterId(where, after, limit), now => _metrics.Where(filter, now), cancellationToken);
    }

    /// <summary>
    /// Writes the log rows matching <paramref name="filter"/>, oldest first, to <paramref name="destination"/> as CSV or
    /// JSON Lines. Rows are streamed from one consistent snapshot on a connection of their own, so memory use stays
    /// constant however many rows there are. In JSON Lines, a row whose properties column is not a readable JSON object
    /// (see <see cref="LogRecord.Properties"/>) has it as a JSON string of the raw text.
    /// </summary>
    /// <param name="destination">The stream to write UTF-8 text to; it is flushed, not closed.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="filter">Which rows; null for all.</param>
    /// <param name="progress">Told the number of rows written so far, every 10,000 rows and at the end; or null.</param>
    /// <param name="cancellationToken">Stops the export; what was written so far stays in <paramref name="destination"/>.</param>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="ArgumentException">An argument is not valid; the message says what is wrong.</exception>
    public Task<long> ExportLogsAsync(Stream destination, ExportFormat format, LogFilter? filter = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckExport(destination, format);
        filter?.Validate(nameof(filter));
        var where = _logs.Where(filter, DateTimeOffset.UtcNow);
        return RowExport.WriteAsync(_file, _logs.ExportSelect(where), where, RowExport.LogColumns, destination, format, progress,
            cancellationToken);
    }

    /// <summary>
    /// Writes the metric rows matching <paramref name="filter"/>, oldest first, to <paramref name="destination"/> as CSV
    /// or JSON Lines; see <see cref="ExportLogsAsync"/>.
    /// </summary>
    /// <param name="destination">The stream to write UTF-8 text to; it is flushed, not closed.</param>
    /// <param name="format">CSV or JSON Lines.</param>
    /// <param name="filter">Which rows; null for all.</param>
    /// <param name="progress">Told the number of rows written so far, every 10,000 rows and at the end; or null.</param>
    /// <param name="cancellationToken">Stops the export; what was written so far stays in <paramref name="destination"/>.</param>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="ArgumentException">An argument is not valid; the message says what is wrong.</exception>
    public Task<long> ExportMetricsAsync(Stream destination, ExportFormat format, MetricFilter? filter = null,
        IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckExport(destination, format);
        filter?.Validate(nameof(filter));
        var where = _metrics.Where(filter, DateTimeOffset.UtcNow);
        return RowExport.WriteAsync(_file, _metrics.ExportSelect(where), where, RowExport.MetricColumns, destination, format,
            progress, cancellationToken);
    }

    /// <summary>
    /// Writes a consistent copy of the database to a new file with SQLite's <c>VACUUM INTO</c>, which reads one
    /// snapshot and so is safe while the sink writes; the copy is also compacted. A live database is never copied as
    /// a file, which could catch it half-written or miss what is still in its WAL.
    /// </summary>
    /// <param name="destinationPath">The new file. It must not exist yet; a missing folder is created.</param>
    /// <param name="cancellationToken">Interrupts the copy; the unfinished file is deleted.</param>
    /// <exception cref="ArgumentException">The path is empty, not valid, or names a file that exists.</exception>
    public void Backup(string destinationPath, CancellationToken cancellationToken = default)
    {
        var target = DatabaseBackup.ResolveTarget(destinationPath, _file.FilePath);
        ObjectDisposedException.ThrowIf(_disposed, this);
        DatabaseBackup.VacuumInto(_file, target, cancellationToken);
    }

    /// <summary>
    /// The size of the database file, of its write-ahead log, and of the free pages inside it: what <c>ls</c> would show,
    /// and how much of it <c>VACUUM</c> could give back.
    /// </summary>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>The sizes, in bytes.</returns>
    public DatabaseFileSize GetFileSize(CancellationToken cancellationToken = default)
    {
        var freeBytes = Run(cancellationToken, connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT freelist_count * page_size FROM pragma_freelist_count(), pragma_page_size()";
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });
        if (_file.FilePath is not { } path)
        {
            // An in-memory database has no file and no WAL: its size is its pages.
            var pages = Run(cancellationToken, connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()";
                return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            });
            return new DatabaseFileSize(pages, 0, freeBytes);
        }

        var wal = new FileInfo(path + "-wal");
        return new DatabaseFileSize(new FileInfo(path).Length, wal.Exists ? wal.Length : 0, freeBytes);
    }

    /// <summary>
    /// Deletes the log and metric rows older than <paramref name="cutoff"/>: the one call that writes. It opens a
    /// read-write connection of its own and deletes in transactions of a few thousand rows, so that a sink writing to
    /// the same file waits for one short transaction at a time, never for the whole purge. The file does not shrink:
    /// the freed pages are reused by new rows (see <see cref="GetFileSize"/>).
    /// </summary>
    /// <param name="cutoff">Rows with a timestamp before this time are deleted.</param>
    /// <param name="cancellationToken">Stops between transactions (or interrupts the running one); rows deleted
    /// before that stay deleted.</param>
    /// <returns>How many rows were deleted from each table.</returns>
    /// <exception cref="UnauthorizedAccessException">The file cannot be written to.</exception>
    public PruneResult DeleteOlderThan(DateTimeOffset cutoff, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var logs = DatabasePrune.DeleteOlderThan(_file, _logs.Table, cutoff, cancellationToken);
        var metrics = DatabasePrune.DeleteOlderThan(_file, _metrics.Table, cutoff, cancellationToken);
        return new PruneResult(logs, metrics);
    }

    /// <summary>Closes the connection. Tails and exports that are running keep their own connections until they end.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _connection.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"SqliteWorkerDatabase('{DatabasePath}')";

    IReadOnlyList<MetricBucket> Summarize(MetricFilter filter, int bucketLength, CancellationToken cancellationToken) =>
        Run(cancellationToken, connection =>
        {
            var where = _metrics.Where(filter, DateTimeOffset.UtcNow);
            return ReadList(connection, _metrics.Summary(where, where.Bind(bucketLength)), where, r => new MetricBucket(
                bucketLength == 0 ? default : TimestampText.ParseBucket(r.GetString(0)),
                new MetricSummary(r.GetInt64(1), r.GetDouble(2), r.GetDouble(3), r.GetDouble(4),
                    RecordReader.DoubleOrNull(r, 5), RecordReader.DoubleOrNull(r, 6), RecordReader.DoubleOrNull(r, 7))));
        });

    List<GroupCount<TKey>> CountBy<TKey>(SQLiteConnection connection, string column, LogFilter? filter, DateTimeOffset now,
        int top, Func<SQLiteDataReader, TKey> readKey)
    {
        var where = _logs.Where(filter, now);
        return ReadList(connection, _logs.CountBy(column, where, where.Bind(top)), where,
            r => new GroupCount<TKey>(readKey(r), r.GetInt64(1), r.GetDouble(2)));
    }

    static (long Count, DateTimeOffset? First, DateTimeOffset? Last) ReadTotals(SQLiteConnection connection,
        Func<SqlWhere, string> sql, SqlWhere where)
    {
        using var command = Command(connection, sql(where), where);
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0),
            reader.IsDBNull(1) ? null : TimestampText.Parse(reader.GetString(1)),
            reader.IsDBNull(2) ? null : TimestampText.Parse(reader.GetString(2)));
    }

    static long ReadLastId(SQLiteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    static List<T> ReadList<T>(SQLiteConnection connection, string sql, SqlWhere where, Func<SQLiteDataReader, T> read)
    {
        using var command = Command(connection, sql, where);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }

    internal static SQLiteCommand Command(SQLiteConnection connection, string sql, SqlWhere where)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        where.BindTo(command);
        return command;
    }

    /// <summary>Runs one report on the shared connection, one caller at a time, turning an interrupt into cancellation.</summary>
    T Run<T>(CancellationToken cancellationToken, Func<SQLiteConnection, T> query)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var interrupt = Cancellation.Interrupts(_connection, cancellationToken);
            try
            {
                return query(_connection);
            }
            catch (SQLiteException ex) when (Cancellation.WasInterrupted(ex, cancellationToken))
            {
                throw new OperationCanceledException("The query was cancelled.", ex, cancellationToken);
            }
            catch (SQLiteException ex) when (ex.ResultCode == SQLiteErrorCode.Error && ex.Message.Contains("bad JSON path", StringComparison.Ordinal))
            {
                // SQLite checks a JSON path only when it runs it, and a property path is the only one a caller gives.
                throw new ArgumentException(
                    $"PropertyPath is not a JSON path SQLite accepts ({ex.Message}). Write it as $.Name or $.Outer.Inner.", "filter", ex);
            }
        }
    }

    static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a == null ? b : b == null ? a : a < b ? a : b;

    static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a == null ? b : b == null ? a : a > b ? a : b;

    static int BucketLength(MetricBucketSize bucketSize) => bucketSize switch
    {
        MetricBucketSize.Minute => TimestampText.MinutePrefixLength,
        MetricBucketSize.Hour => TimestampText.HourPrefixLength,
        _ => throw new ArgumentException($"bucketSize {(int)bucketSize} is not a MetricBucketSize; use Minute or Hour.", nameof(bucketSize)),
    };

    static void CheckPositive(int value, string parameterName)
    {
        if (value < 1)
            throw new ArgumentException($"{parameterName} is {value}; it must be at least 1.", parameterName);
    }

    static void CheckOrder(ResultOrder order)
    {
        if (!Enum.IsDefined(order))
            throw new ArgumentException($"order {(int)order} is not a ResultOrder; use NewestFirst or OldestFirst.", nameof(order));
    }

    static void CheckNamesMetric(MetricFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate(nameof(filter));
        if (!filter.NamesMetric)
            throw new ArgumentException(
                "The filter names no metric. Set Name (or NamePrefix): values of different metrics cannot be summarized together.",
                nameof(filter));
    }

    static TimeSpan CheckPollInterval(TimeSpan? pollInterval)
    {
        var interval = pollInterval ?? DefaultPollInterval;
        if (interval <= TimeSpan.Zero || interval.TotalMilliseconds > int.MaxValue)
            throw new ArgumentException(
                $"pollInterval is {interval}; it must be positive, such as TimeSpan.FromSeconds(1), and under 24 days.",
                nameof(pollInterval));
        return interval;
    }

    static void CheckExport(Stream destination, ExportFormat format)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (!destination.CanWrite)
            throw new ArgumentException("The destination stream cannot be written to.", nameof(destination));
        if (!Enum.IsDefined(format))
            throw new ArgumentException($"format {(int)format} is not an ExportFormat; use Csv or JsonLines.", nameof(format));
    }
}
