using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// The sink's earlier design, kept in the benchmark to compare with in one run: the sink's writer behind Serilog's own
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
        var writer = new SqliteWorkerSink(new SqliteWorkerSinkOptions { DatabasePath = path }, DatabaseLocation.Resolve(path),
            _counters, new FailureReporter(_counters, queueLimit));
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
}
