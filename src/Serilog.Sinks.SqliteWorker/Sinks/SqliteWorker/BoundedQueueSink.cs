using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Stands in front of Serilog's batching and bounds its queue. Serilog's own queue limit drops events without a trace;
/// here every refused event is counted and reported, or, when asked, the caller waits for room instead.
/// </summary>
sealed class BoundedQueueSink : ILogEventSink, IDisposable, IAsyncDisposable, ISetLoggingFailureListener
{
    readonly ILogEventSink _batching;
    readonly int _queueLimit;
    readonly bool _blockWhenFull;
    readonly SinkCounters _counters;
    readonly FailureReporter _failures;
    readonly Func<bool> _isClosed;
    readonly string _name;
    readonly Action<IReadOnlyCollection<LogEvent>>? _onDropped;
    volatile bool _closed;

    public BoundedQueueSink(ILogEventSink batching, int queueLimit, bool blockWhenFull, SinkCounters counters,
        FailureReporter failures, string name, Action<IReadOnlyCollection<LogEvent>>? onDropped = null)
    {
        _onDropped = onDropped;
        _batching = batching;
        _name = name;
        _queueLimit = queueLimit;
        _blockWhenFull = blockWhenFull;
        _counters = counters;
        _failures = failures;
        _failures.Sender = this;
        _isClosed = () => _closed;

        // Events that Serilog discards after failed retries leave the queue too; seeing those reports keeps the count true.
        if (batching is ISetLoggingFailureListener settable)
            settable.SetFailureListener(new DiscardCounter(this));
    }

    public void Emit(LogEvent logEvent)
    {
        if (_closed)
            return;

        if (!_counters.TryEnter(_queueLimit))
        {
            if (!_blockWhenFull)
            {
                _counters.Refuse();
                _failures.ReportQueueFullIfDue();
                return;
            }

            // Closed while waiting: the sink takes no more events, and this one counts as dropped.
            if (!_counters.Enter(_queueLimit, _isClosed))
            {
                _counters.Refuse();
                return;
            }
        }

        _batching.Emit(logEvent);
    }

    public void SetFailureListener(ILoggingFailureListener failureListener)
    {
        ArgumentNullException.ThrowIfNull(failureListener);
        _failures.Listener = failureListener;
    }

    public void Dispose()
    {
        Close();
        (_batching as IDisposable)?.Dispose();
        _failures.ReportQueueFull();
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        if (_batching is IAsyncDisposable asyncDisposable)
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        else
            (_batching as IDisposable)?.Dispose();
        _failures.ReportQueueFull();
    }

    void Close()
    {
        _closed = true;
        _counters.WakeAll();
    }

    public override string ToString() => _name;

    sealed class DiscardCounter(BoundedQueueSink owner) : ILoggingFailureListener
    {
        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events,
            Exception? exception)
        {
            if (kind != LoggingFailureKind.Temporary && events is { Count: > 0 })
            {
                owner._counters.Discarded(events.Count);
                owner._onDropped?.Invoke(events);
            }

            owner._failures.Report(kind, message, events, exception, sender);
        }
    }
}
