using System.Data.SQLite;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>
/// The sink's writer and housekeeping without the sink's thread, for tests that hand it batches themselves: the events
/// of each batch are rendered into the sink's own queue, taken as one batch and written, and the housekeeping that the
/// sink's thread runs after a batch, or when none was waiting, runs here on the caller's thread. A batch that fails
/// throws to the caller, as it does to the sink's thread.
/// </summary>
sealed class BatchDriver : IDisposable
{
    readonly BatchWriter _writer;
    readonly RowQueue _queue;
    readonly RowBatch _batch = new();
    readonly Housekeeping _housekeeping;

    public BatchDriver(SqliteWorkerSinkOptions options, FailureReporter failures, SinkCounters counters)
    {
        var location = DatabaseLocation.Resolve(options.DatabasePath);
        _writer = new BatchWriter(options, location, counters, failures);
        _queue = _writer.CreateQueue();
        _housekeeping = new Housekeeping(_writer, RetentionPolicy.Create(options, _writer.Logs, _writer.Metrics, location, failures),
            options.OnBatchWritten, counters, failures, SqliteWorkerLoggerConfigurationExtensions.DefaultBatchSizeLimit);
    }

    /// <summary>The writer's open connection, if any.</summary>
    public SQLiteConnection? Connection => _writer.Connection;

    /// <summary>Writes <paramref name="events"/> as one batch, then runs the housekeeping after a batch.</summary>
    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> events)
    {
        foreach (var logEvent in events)
            _queue.Add(logEvent);
        _queue.Take(events.Count, _batch);
        WrittenBatch? written;
        try
        {
            written = _writer.Write(_batch);
        }
        finally
        {
            _queue.Release(_batch);
        }

        if (written != null)
            _housekeeping.BatchWritten(written.Value);
        return Task.CompletedTask;
    }

    /// <summary>Runs the housekeeping for when no batch was waiting.</summary>
    public Task OnEmptyBatchAsync()
    {
        _housekeeping.NothingWaiting();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _queue.Dispose();
    }
}
