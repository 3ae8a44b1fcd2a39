namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// What the sink reports to <see cref="SqliteWorkerSinkOptions.OnBatchWritten"/> after each batch it committed.
/// </summary>
public sealed class SqliteWorkerBatchWritten
{
    internal SqliteWorkerBatchWritten(
        int logsWritten,
        int metricsWritten,
        TimeSpan elapsed,
        long totalLogsWritten,
        long totalMetricsWritten,
        long totalEventsDropped,
        int eventsQueued)
    {
        LogsWritten = logsWritten;
        MetricsWritten = metricsWritten;
        Elapsed = elapsed;
        TotalLogsWritten = totalLogsWritten;
        TotalMetricsWritten = totalMetricsWritten;
        TotalEventsDropped = totalEventsDropped;
        EventsQueued = eventsQueued;
    }

    /// <summary>The rows this batch added to the logs table.</summary>
    public int LogsWritten { get; }

    /// <summary>The rows this batch added to the metrics table.</summary>
    public int MetricsWritten { get; }

    /// <summary>How long rendering, inserting and committing the batch took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The log rows this sink has committed since it was created.</summary>
    public long TotalLogsWritten { get; }

    /// <summary>The metric rows this sink has committed since it was created.</summary>
    public long TotalMetricsWritten { get; }

    /// <summary>
    /// The events this sink has discarded since it was created: because the queue was full, or because Serilog gave
    /// up retrying a batch that could not be written.
    /// </summary>
    public long TotalEventsDropped { get; }

    /// <summary>The events accepted by the sink and not yet written, when the batch was committed.</summary>
    public int EventsQueued { get; }
}
