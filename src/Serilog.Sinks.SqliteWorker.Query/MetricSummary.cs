namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Count, extremes, mean and percentiles of a metric's values. Percentiles use the nearest-rank method: p95 is the
/// smallest value that at least 95% of the values are less than or equal to. Everything but the count is null when
/// there are no values.
/// </summary>
/// <param name="Count">The number of values.</param>
/// <param name="Minimum">The smallest value.</param>
/// <param name="Maximum">The largest value.</param>
/// <param name="Average">The arithmetic mean.</param>
/// <param name="P50">The median (50th percentile).</param>
/// <param name="P95">The 95th percentile.</param>
/// <param name="P99">The 99th percentile.</param>
public sealed record MetricSummary(
    long Count,
    double? Minimum,
    double? Maximum,
    double? Average,
    double? P50,
    double? P95,
    double? P99);
