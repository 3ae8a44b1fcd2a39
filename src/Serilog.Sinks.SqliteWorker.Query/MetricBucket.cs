namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>The summary of a metric's values in one minute or one hour, a point of a chart.</summary>
/// <param name="Start">The start of the bucket, in UTC.</param>
/// <param name="Summary">The values' summary; buckets without values are not returned.</param>
public sealed record MetricBucket(DateTimeOffset Start, MetricSummary Summary);
