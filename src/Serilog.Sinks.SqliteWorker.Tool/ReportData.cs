using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>One metric's values over the report's range: overall, and per bucket for its chart.</summary>
sealed record MetricSeries(string Name, MetricSummary Overall, IReadOnlyList<MetricBucket> Buckets);

/// <summary>Everything the HTML report shows, asked of the query helper in one place, so the page only draws it.</summary>
sealed record ReportData(
    string DatabasePath,
    DateTimeOffset GeneratedAt,
    DatabaseStatistics Statistics,
    DatabaseFileSize Size,
    MetricBucketSize BucketSize,
    IReadOnlyList<LevelBucket> Levels,
    IReadOnlyList<MetricSeries> Metrics,
    IReadOnlyList<GroupCount<string>> Templates,
    IReadOnlyList<ExceptionGroup> Exceptions,
    IReadOnlyList<LogRecord> RecentErrors)
{
    // Up to this long a range is drawn per minute (at most 360 bars); longer ones per hour.
    static readonly TimeSpan MinuteBucketsUpTo = TimeSpan.FromHours(6);

    public static ReportData Read(SqliteWorkerDatabase db, DateTimeOffset? since, DateTimeOffset? until, int top, int maxMetrics,
        CancellationToken cancellationToken)
    {
        var statistics = db.GetStatistics(since, until, cancellationToken);
        var span = statistics.LastTimestamp - statistics.FirstTimestamp ?? TimeSpan.Zero;
        var bucketSize = ChooseBucketSize(span);
        var logs = new LogFilter { Since = since, Until = until };
        var metrics = new MetricFilter { Since = since, Until = until };

        var series = db.CountByMetricName(metrics, cancellationToken)
            .Take(maxMetrics)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var filter = metrics with { Name = g.Key };
                return new MetricSeries(g.Key, db.SummarizeMetric(filter, cancellationToken),
                    db.SummarizeMetricPerBucket(filter, bucketSize, cancellationToken));
            })
            .ToList();

        return new ReportData(
            db.DatabasePath,
            DateTimeOffset.UtcNow,
            statistics,
            db.GetFileSize(cancellationToken),
            bucketSize,
            db.CountByLevelPerBucket(logs, bucketSize, cancellationToken),
            series,
            db.CountByMessageTemplate(logs, top, cancellationToken),
            db.GetTopExceptions(logs, top, cancellationToken),
            db.GetLogs(logs with { MinimumLevel = LogEventLevel.Error }, top * 2, ResultOrder.NewestFirst, cancellationToken: cancellationToken));
    }

    public static MetricBucketSize ChooseBucketSize(TimeSpan span) =>
        span <= MinuteBucketsUpTo ? MetricBucketSize.Minute : MetricBucketSize.Hour;
}
