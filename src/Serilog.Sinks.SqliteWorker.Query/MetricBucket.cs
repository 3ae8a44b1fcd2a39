namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>The summary of a metric's values in one minute or one hour, a point of a chart.</summary>
public sealed record MetricBucket
{
    /// <summary>The start of the bucket, in UTC.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>The values' summary; buckets without values are not returned.</summary>
    public required MetricSummary Summary { get; init; }
}
