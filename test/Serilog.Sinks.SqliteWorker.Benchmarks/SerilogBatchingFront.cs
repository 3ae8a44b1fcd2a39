using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// The design the sink's own queue is measured against, in the same run: the sink's writer behind Serilog's own
/// batching, whose queue holds the events themselves until the writer renders them on its thread. Bounded by the
/// sink's counters, as the sink was, and blocking when full, so that it loses nothing.
/// </summary>
sealed class SerilogBatchingFront : ILogEventSink, IDisposable
{
    readonly SinkCounters _counters = new();
    readonly int _queueLimit;
    readonly ILogEventSink _batching;

    public SerilogBatchingFront(string path, int queueLimit, TimeSpan bufferingTime)
    {
        _queueLimit = queueLimit;
        var writer = new WriterBatches(new BatchDriver(new SqliteWorkerSinkOptions { DatabasePath = path },
            new FailureReporter(_counters, queueLimit, sender: nameof(SerilogBatchingFront)), _counters));
        _batching = LoggerSinkConfiguration.CreateSink(wt => wt.Sink(writer, new BatchingOptions
        {
            BatchSizeLimit = SqliteWorkerLoggerConfigurationExtensions.DefaultBatchSizeLimit,
            BufferingTimeLimit = bufferingTime,
            QueueLimit = null,
        }));
    }

    public long Written => _counters.LogsWritten;

    public void Emit(LogEvent logEvent)
    {
        if (!_counters.TryEnter(_queueLimit))
            _counters.Enter(_queueLimit, static () => false);
        _batching.Emit(logEvent);
    }

    public void Dispose() => (_batching as IDisposable)?.Dispose();

    /// <summary>The sink's writer as a batched sink in Serilog's sense, rendering each batch it is handed on Serilog's thread.</summary>
    sealed class WriterBatches(BatchDriver driver) : IBatchedLogEventSink, IDisposable
    {
        public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch) => driver.EmitBatchAsync(batch);

        public Task OnEmptyBatchAsync() => driver.OnEmptyBatchAsync();

        public void Dispose() => driver.Dispose();
    }
}
