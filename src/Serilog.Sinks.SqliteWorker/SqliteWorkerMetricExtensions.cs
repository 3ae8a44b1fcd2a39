using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker;

namespace Serilog;

/// <summary>
/// Records metrics through any Serilog logger. The SQLite sink writes them to its metrics table; other sinks show them
/// as ordinary events such as <c>Metric response_time = 45.2 ms</c>.
/// </summary>
public static class SqliteWorkerMetricExtensions
{
    /// <summary>
    /// Records one measurement as an <see cref="LogEventLevel.Information"/> event that the SQLite sink writes to its
    /// metrics table, with the logger's enrichers and context in the row's properties. A measurement that cannot be
    /// stored (an empty name, or a value that is NaN or infinite) is not recorded as a metric: a
    /// <see cref="LogEventLevel.Warning"/> event saying why is written instead, and the same goes to <c>SelfLog</c>.
    /// </summary>
    /// <param name="logger">The logger to write through.</param>
    /// <param name="name">The metric's name, such as <c>response_time</c>.</param>
    /// <param name="value">The measurement; it must be a finite number.</param>
    /// <param name="unit">The unit of <paramref name="value"/>, such as <c>ms</c>, or null.</param>
    public static void Metric(this ILogger logger, string name, double value, string? unit = null)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (!logger.IsEnabled(LogEventLevel.Information))
            return;

        var problem = string.IsNullOrWhiteSpace(name) ? "the metric name is empty"
            : !double.IsFinite(value) ? "the value is not a finite number"
            : null;
        if (problem != null)
        {
            SelfLog.WriteLine("Metric {0} = {1} was not recorded: {2}", name, value, problem);
            logger.Warning("Metric {MetricName} = {MetricValue} was not recorded: {Reason}", name, value, problem);
            return;
        }

        logger.Write(MetricEvent.Create(name, value, unit));
    }

    /// <summary>
    /// Starts timing an operation; disposing the result records its duration in milliseconds as the metric
    /// <paramref name="name"/> with the unit <c>ms</c>, as <see cref="Metric"/> does: a row of the metrics table, not
    /// a completion event such as SerilogTimings' <c>TimeOperation</c> writes.
    /// </summary>
    /// <example><code>using (Log.Logger.TimeMetric("db_query")) { RunQuery(); }</code></example>
    /// <param name="logger">The logger to write through.</param>
    /// <param name="name">The metric's name, such as <c>db_query</c>.</param>
    /// <returns>An object that records the metric when first disposed.</returns>
    public static IDisposable TimeMetric(this ILogger logger, string name)
    {
        ArgumentNullException.ThrowIfNull(logger);
        return new TimedOperation(logger, name);
    }
}
