using Serilog.Debugging;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// What the writer's loop does between batches, as Serilog's batching calls <c>OnEmptyBatchAsync</c>: after a batch is
/// written, the checkpoint it asks for, the <see cref="SqliteWorkerSinkOptions.OnBatchWritten"/> callback and the due
/// failure summaries; after each batch and when none was waiting, a turn of retention. All of it on the writer's thread,
/// between transactions, and none of it throws.
/// </summary>
sealed class Housekeeping
{
    readonly BatchWriter _writer;
    readonly RetentionPolicy? _retention;
    readonly Action<SqliteWorkerBatchWritten>? _onBatchWritten;
    readonly SinkCounters _counters;
    readonly FailureReporter _failures;
    readonly int _batchSizeLimit;

    /// <param name="writer">The writer whose connection the work uses.</param>
    /// <param name="retention">Deletes old rows and keeps the file under its size limit; null for neither.</param>
    /// <param name="onBatchWritten">The application's callback after each batch, if any.</param>
    /// <param name="counters">The sink's counters, for the callback and to see how much is queued.</param>
    /// <param name="failures">Where failures are reported.</param>
    /// <param name="batchSizeLimit">The configured batch size: when as many events wait, retention does the least it can.</param>
    public Housekeeping(BatchWriter writer, RetentionPolicy? retention, Action<SqliteWorkerBatchWritten>? onBatchWritten,
        SinkCounters counters, FailureReporter failures, int batchSizeLimit)
    {
        _writer = writer;
        _retention = retention;
        _onBatchWritten = onBatchWritten;
        _counters = counters;
        _failures = failures;
        _batchSizeLimit = batchSizeLimit;
    }

    /// <summary>After a batch was committed.</summary>
    public void BatchWritten(in WrittenBatch batch)
    {
        _writer.RequestCheckpoint();
        if (_onBatchWritten != null)
            Notify(new SqliteWorkerBatchWritten(batch.Logs, batch.LogsByLevel, batch.Metrics, batch.Elapsed,
                _counters.LogsWritten, _counters.MetricsWritten, _counters.Dropped, _counters.Queued));

        _failures.ReportQueueFullIfDue();
        RunRetention();
    }

    /// <summary>When a batch's time came and no row was waiting.</summary>
    public void NothingWaiting()
    {
        _failures.ReportQueueFullIfDue();
        _failures.ReportUnusableIfDue();
        RunRetention();
    }

    void RunRetention()
    {
        // What retention frees or gives back reaches the main file only when a checkpoint copies the WAL into it.
        if (_retention?.RunIfDue(_writer.Connection, batchWaiting: _counters.Queued >= _batchSizeLimit) == true)
            _writer.RequestCheckpoint();
    }

    void Notify(SqliteWorkerBatchWritten written)
    {
        try
        {
            _onBatchWritten!(written);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("SqliteWorker: the OnBatchWritten callback threw; the batch was written all the same: {0}", ex);
        }
    }
}
