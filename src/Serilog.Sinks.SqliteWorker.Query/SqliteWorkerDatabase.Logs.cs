using System.Data.SQLite;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

// The logs table: rows, counts, buckets, templates, exceptions and the live tail.
public sealed partial class SqliteWorkerDatabase
{
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

    /// <summary>The log row with this id, or null when there is none (never written, or pruned since).</summary>
    /// <param name="id">The row's <see cref="LogRecord.Id"/>.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>The row, or null.</returns>
    public LogRecord? GetLog(long id, CancellationToken cancellationToken = default) =>
        Run(cancellationToken, connection =>
        {
            var where = new SqlWhere();
            return ReadList(connection, _logs.ById(where, where.Bind(id)), where, RecordReader.ReadLog).SingleOrDefault();
        });

    /// <summary>Log rows per level, most frequent first, with each level's share. Answered from the (level, timestamp) index.</summary>
    /// <param name="filter">Which rows to count; null for all.</param>
    /// <param name="cancellationToken">Interrupts the query.</param>
    /// <returns>One group per level present.</returns>
    /// <exception cref="ArgumentException">The filter is not valid; the message says what is wrong.</exception>
    public IReadOnlyList<GroupCount<LogEventLevel>> CountByLevel(LogFilter? filter = null, CancellationToken cancellationToken = default)
    {
        filter?.Validate(nameof(filter));
        return Run(cancellationToken, connection =>
            CountBy(connection, LogColumns.Level, filter, DateTimeOffset.UtcNow, -1, r => RecordReader.ParseLevel(r.GetString(0))));
    }

    /// <summary>
    /// Log rows per thread id, most frequent first, with each thread's share.
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
            CountBy(connection, LogColumns.ThreadId, filter, DateTimeOffset.UtcNow, -1, r => RecordReader.Int64OrNull(r, 0)));
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
            CountBy(connection, LogColumns.SourceContext, filter, DateTimeOffset.UtcNow, -1, r => RecordReader.StringOrNull(r, 0)));
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
            var rows = ReadList(connection, _logs.CountPerBucket(where, where.Bind(length)), where, r => new LevelBucket
            {
                Start = TimestampText.ParseBucket(r.GetString(0)),
                Level = RecordReader.ParseLevel(r.GetString(1)),
                Count = r.GetInt64(2),
            });
            // SQL sorted the level names as text; within a bucket, severity order is the one a chart stacks by.
            rows.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.Level.CompareTo(b.Level));
            return rows;
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
            CountBy(connection, LogColumns.MessageTemplate, filter, DateTimeOffset.UtcNow, top, r => r.GetString(0)));
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
                return new ExceptionGroup
                {
                    Type = colon < 0 ? firstLine : firstLine[..colon],
                    FirstLine = firstLine,
                    Count = r.GetInt64(1),
                    LastSeen = TimestampText.Parse(r.GetString(2)),
                };
            });
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
            (where, after, limit) => _logs.AfterId(where, after, limit), now => _logs.Where(filter, now), _logs.LastId, cancellationToken);
    }

    List<GroupCount<TKey>> CountBy<TKey>(SQLiteConnection connection, string column, LogFilter? filter, DateTimeOffset now,
        int top, Func<SQLiteDataReader, TKey> readKey)
    {
        var where = _logs.Where(filter, now);
        return ReadList(connection, _logs.CountBy(column, where, where.Bind(top)), where,
            r => new GroupCount<TKey> { Key = readKey(r), Count = r.GetInt64(1), Percentage = r.GetDouble(2) });
    }
}
