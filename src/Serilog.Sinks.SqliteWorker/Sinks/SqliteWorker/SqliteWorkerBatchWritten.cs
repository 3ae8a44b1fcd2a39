using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// What the sink reports to <see cref="SqliteWorkerSinkOptions.OnBatchWritten"/> after each batch it committed.
/// </summary>
public sealed class SqliteWorkerBatchWritten
{
    readonly LevelCounts _logsByLevel;

    internal SqliteWorkerBatchWritten(
        int logsWritten,
        LevelCounts logsByLevel,
        int metricsWritten,
        TimeSpan elapsed,
        long totalLogsWritten,
        long totalMetricsWritten,
        long totalEventsDropped,
        int eventsQueued)
    {
        LogsWritten = logsWritten;
        _logsByLevel = logsByLevel;
        MetricsWritten = metricsWritten;
        Elapsed = elapsed;
        TotalLogsWritten = totalLogsWritten;
        TotalMetricsWritten = totalMetricsWritten;
        TotalEventsDropped = totalEventsDropped;
        EventsQueued = eventsQueued;
    }

    /// <summary>The rows this batch added to the logs table.</summary>
    public int LogsWritten { get; }

    /// <summary>
    /// The rows this batch added to the logs table from events of the given level, such as
    /// <c>written.LogsWrittenAt(LogEventLevel.Error)</c> to alert on errors. Over the six levels they add up to
    /// <see cref="LogsWritten"/>; metric events are counted in <see cref="MetricsWritten"/> only.
    /// </summary>
    /// <param name="level">The level of the events to count.</param>
    /// <returns>The log rows of that level in this batch; zero for a value outside <see cref="LogEventLevel"/>.</returns>
    public int LogsWrittenAt(LogEventLevel level) => _logsByLevel.Of(level);

    /// <summary>The rows this batch added to the metrics table.</summary>
    public int MetricsWritten { get; }

    /// <summary>How long rendering, inserting and committing the batch took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The log rows this sink has committed since it was created.</summary>
    public long TotalLogsWritten { get; }

    /// <summary>The metric rows this sink has committed since it was created.</summary>
    public long TotalMetricsWritten { get; }

    /// <summary>
    /// The events this sink has discarded since it was created: refused because the queue was full, given up at the
    /// retry time limit, refused by the database, or not written because the file could not be used.
    /// </summary>
    public long TotalEventsDropped { get; }

    /// <summary>The events accepted by the sink and not yet written, when the batch was committed.</summary>
    public int EventsQueued { get; }
}
