namespace Serilog.Sinks.SqliteWorker.Query;

// The metrics table: rows, names, summaries with percentiles and the live tail.
public sealed partial class SqliteWorkerDatabase
{
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
                r => new GroupCount<string> { Key = r.GetString(0), Count = r.GetInt64(1), Percentage = r.GetDouble(2) });
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
        return Summarize(filter, 0, cancellationToken) is [var only] ? only.Summary : new MetricSummary { Count = 0 };
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
            (where, after, limit) => _metrics.AfterId(where, after, limit), now => _metrics.Where(filter, now), _metrics.LastId, cancellationToken);
    }

    IReadOnlyList<MetricBucket> Summarize(MetricFilter filter, int bucketLength, CancellationToken cancellationToken) =>
        Run(cancellationToken, connection =>
        {
            var where = _metrics.Where(filter, DateTimeOffset.UtcNow);
            return ReadList(connection, _metrics.Summary(where, where.Bind(bucketLength)), where, r => new MetricBucket
            {
                Start = bucketLength == 0 ? default : TimestampText.ParseBucket(r.GetString(0)),
                Summary = new MetricSummary
                {
                    Count = r.GetInt64(1),
                    Minimum = r.GetDouble(2),
                    Maximum = r.GetDouble(3),
                    Average = r.GetDouble(4),
                    P50 = RecordReader.DoubleOrNull(r, 5),
                    P95 = RecordReader.DoubleOrNull(r, 6),
                    P99 = RecordReader.DoubleOrNull(r, 7),
                },
            });
        });

    static void CheckNamesMetric(MetricFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate(nameof(filter));
        if (!filter.NamesMetric)
            throw new ArgumentException(
                "The filter names no metric. Set Name (or NamePrefix): values of different metrics cannot be summarized together.",
                nameof(filter));
    }
}
