using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

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
    public static ReportData Read(SqliteWorkerDatabase db, DateTimeOffset? since, DateTimeOffset? until, int top, int maxMetrics,
        CancellationToken cancellationToken)
    {
        var statistics = db.GetStatistics(since, until, cancellationToken);
        var span = statistics.LastTimestamp - statistics.FirstTimestamp ?? TimeSpan.Zero;
        var bucketSize = SvgChart.ChooseBucketSize(span);
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
}
