using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>An overview of the logs and metrics in a database, or in a time range of it.</summary>
public sealed record DatabaseStatistics
{
    /// <summary>The number of log rows.</summary>
    public required long LogCount { get; init; }

    /// <summary>The number of metric rows.</summary>
    public required long MetricCount { get; init; }

    /// <summary>The earliest timestamp of any log or metric row, or null when there are none.</summary>
    public DateTimeOffset? FirstTimestamp { get; init; }

    /// <summary>The latest timestamp of any log or metric row, or null when there are none.</summary>
    public DateTimeOffset? LastTimestamp { get; init; }

    /// <summary>Log rows per second between the first and last timestamps, or null when that span is empty.</summary>
    public double? LogsPerSecond { get; init; }

    /// <summary>Metric rows per second between the first and last timestamps, or null when that span is empty.</summary>
    public double? MetricsPerSecond { get; init; }

    /// <summary>Log rows per level, most frequent first.</summary>
    public required IReadOnlyList<GroupCount<LogEventLevel>> ByLevel { get; init; }

    /// <summary>Log rows per thread id, most frequent first.</summary>
    public required IReadOnlyList<GroupCount<long?>> ByThread { get; init; }

    /// <summary>Log rows per source context, most frequent first.</summary>
    public required IReadOnlyList<GroupCount<string?>> BySourceContext { get; init; }
}
