using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Stands in front of Serilog's batching and bounds its queue. Serilog's own queue limit drops events without a trace;
/// here every refused event is counted and reported, or, when asked, the caller waits for room instead.
/// </summary>
sealed class BoundedQueueSink : ILogEventSink, IDisposable, IAsyncDisposable, ISetLoggingFailureListener
{
    const long ReportIntervalMilliseconds = 10_000;

    readonly ILogEventSink _batching;
    readonly int _queueLimit;
    readonly bool _blockWhenFull;
    readonly SinkCounters _counters;
    readonly Func<bool> _isClosed;
    readonly string _name;
    ILoggingFailureListener _failureListener = Serilog.Debugging.SelfLog.FailureListener;
    volatile bool _closed;
    long _lastReportedDrop;
    long _droppedAtLastReport;

    public BoundedQueueSink(ILogEventSink batching, int queueLimit, bool blockWhenFull, SinkCounters counters, string name)
    {
        _batching = batching;
        _name = name;
        _queueLimit = queueLimit;
        _blockWhenFull = blockWhenFull;
        _counters = counters;
        _isClosed = () => _closed;
        _lastReportedDrop = Environment.TickCount64 - ReportIntervalMilliseconds;

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
                ReportDrop(logEvent, _counters.Refused());
                return;
            }

            if (!_counters.Enter(_queueLimit, _isClosed))
                return;
        }

        _batching.Emit(logEvent);
    }

    // One report per interval, naming the event that triggered it and how many went since the last one.
    void ReportDrop(LogEvent logEvent, long totalDropped)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastReportedDrop);
        if (now - last < ReportIntervalMilliseconds || Interlocked.CompareExchange(ref _lastReportedDrop, now, last) != last)
            return;

        var sinceLast = totalDropped - Interlocked.Exchange(ref _droppedAtLastReport, totalDropped);
        _failureListener.OnLoggingFailed(this, LoggingFailureKind.Permanent,
            $"the queue is full ({_queueLimit} events waiting to be written); dropped {sinceLast} events since the last " +
            $"report, {totalDropped} in all. Raise queueLimit, or set blockWhenFull to wait instead of dropping",
            [logEvent], exception: null);
    }

    public void SetFailureListener(ILoggingFailureListener failureListener)
    {
        ArgumentNullException.ThrowIfNull(failureListener);
        _failureListener = failureListener;
    }

    public void Dispose()
    {
        Close();
        (_batching as IDisposable)?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        if (_batching is IAsyncDisposable asyncDisposable)
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        else
            (_batching as IDisposable)?.Dispose();
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
                owner._counters.Discarded(events.Count);

            owner._failureListener.OnLoggingFailed(sender, kind, message, events, exception);
        }
    }
}
