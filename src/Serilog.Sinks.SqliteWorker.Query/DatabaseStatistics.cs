using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>An overview of the logs and metrics in a database, or in a time range of it.</summary>
/// <param name="LogCount">The number of log rows.</param>
/// <param name="MetricCount">The number of metric rows.</param>
/// <param name="FirstTimestamp">The earliest timestamp of any log or metric row, or null when there are none.</param>
/// <param name="LastTimestamp">The latest timestamp of any log or metric row, or null when there are none.</param>
/// <param name="LogsPerSecond">Log rows per second between the first and last timestamps, or null when that span is empty.</param>
/// <param name="MetricsPerSecond">Metric rows per second between the first and last timestamps, or null when that span is empty.</param>
/// <param name="ByLevel">Log rows per level, most frequent first.</param>
/// <param name="ByThread">Log rows per thread id, most frequent first.</param>
/// <param name="BySourceContext">Log rows per source context, most frequent first.</param>
public sealed record DatabaseStatistics(
    long LogCount,
    long MetricCount,
    DateTimeOffset? FirstTimestamp,
    DateTimeOffset? LastTimestamp,
    double? LogsPerSecond,
    double? MetricsPerSecond,
    IReadOnlyList<GroupCount<LogEventLevel>> ByLevel,
    IReadOnlyList<GroupCount<long?>> ByThread,
    IReadOnlyList<GroupCount<string?>> BySourceContext);
