namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>The largest value recorded for one metric name.</summary>
/// <param name="MetricName">The metric's name.</param>
/// <param name="Maximum">The largest value.</param>
/// <param name="Count">The number of values recorded under the name.</param>
public sealed record MetricMaximum(string MetricName, double Maximum, long Count);
