namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Count, extremes, mean and percentiles of a metric's values. Percentiles use the nearest-rank method: p95 is the
/// smallest value that at least 95% of the values are less than or equal to. Everything but the count is null when
/// there are no values.
/// </summary>
public sealed record MetricSummary
{
    /// <summary>The number of values.</summary>
    public required long Count { get; init; }

    /// <summary>The smallest value.</summary>
    public double? Minimum { get; init; }

    /// <summary>The largest value.</summary>
    public double? Maximum { get; init; }

    /// <summary>The arithmetic mean.</summary>
    public double? Average { get; init; }

    /// <summary>The median (50th percentile).</summary>
    public double? P50 { get; init; }

    /// <summary>The 95th percentile.</summary>
    public double? P95 { get; init; }

    /// <summary>The 99th percentile.</summary>
    public double? P99 { get; init; }
}
