namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// The width of the time buckets of a per-bucket metric summary or level count; buckets start on whole UTC minutes or hours.
/// </summary>
public enum MetricBucketSize
{
    /// <summary>One bucket per minute.</summary>
    Minute,

    /// <summary>One bucket per hour.</summary>
    Hour,
}
