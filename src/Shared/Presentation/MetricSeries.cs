using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>One metric's values over a range: overall, and per bucket for its chart.</summary>
sealed record MetricSeries(string Name, MetricSummary Overall, IReadOnlyList<MetricBucket> Buckets);
