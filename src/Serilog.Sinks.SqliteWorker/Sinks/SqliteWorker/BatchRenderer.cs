using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Renders a batch, chunk by chunk, into rows ready to insert: logs rows and metrics rows, each in the order of their
/// events. Buffers are reused batch after batch, and nothing of a batch is kept after <see cref="Clear"/>.
/// </summary>
/// <remarks>
/// Rendering the next chunk on another thread while the writer inserts was tried twice, on the thread pool and on a
/// thread of the sink's own, and left out: on the 2-core benchmark machine it gained nothing on balance (see the
/// README's performance section), because the producers, the checkpointer and the garbage collector already use the
/// other core.
/// </remarks>
sealed class BatchRenderer(int chunkSize, int logColumns, int metricColumns, IFormatProvider? formatProvider,
    IReadOnlyList<PropertyColumn> customColumns)
{
    readonly LogRowWriter _logWriter = new(formatProvider, customColumns);
    readonly MetricRowWriter _metricWriter = new();

    public RowBuffer Logs { get; } = new(logColumns, chunkSize);
    public RowBuffer Metrics { get; } = new(metricColumns, chunkSize);

    /// <summary>Renders up to one chunk of events, from <paramref name="first"/>; returns how many it took.</summary>
    public int Render(IReadOnlyList<LogEvent> events, int first)
    {
        Clear();
        var end = Math.Min(first + chunkSize, events.Count);
        for (var i = first; i < end; i++)
        {
            var logEvent = events[i];
            if (MetricEvent.IsMetric(logEvent) && _metricWriter.TryWrite(logEvent, Metrics.NextRow()))
            {
                Metrics.Commit();
            }
            else
            {
                _logWriter.Write(logEvent, Logs.NextRow());
                Logs.Commit();
            }
        }

        return end - first;
    }

    /// <summary>Forgets the rendered rows, so that their text does not outlive the batch.</summary>
    public void Clear()
    {
        Logs.Clear();
        Metrics.Clear();
    }
}
