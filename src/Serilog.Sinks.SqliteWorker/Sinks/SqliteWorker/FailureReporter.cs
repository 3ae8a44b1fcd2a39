using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The sink's one way of telling the logger's failure listeners (<c>SelfLog</c> unless configured) what went wrong. A
/// listener that throws is noted in <c>SelfLog</c> and never fails the caller, which may hold a batch already committed.
/// Events refused because the queue was full are reported as one summary per interval rather than a line per event: on
/// a refusal once the interval has passed, after each batch the writer finishes, and a last time when the sink closes,
/// so no refusal goes unreported.
/// </summary>
sealed class FailureReporter
{
    const long IntervalMilliseconds = 10_000;

    readonly SinkCounters _counters;
    readonly int _queueLimit;
    long _refusedAtLastReport;
    long _lastReportedAt = Environment.TickCount64 - IntervalMilliseconds;

    public FailureReporter(SinkCounters counters, int queueLimit)
    {
        _counters = counters;
        _queueLimit = queueLimit;
    }

    /// <summary>Where reports go: <c>SelfLog</c> unless the logger configuration sets a failure listener.</summary>
    public ILoggingFailureListener Listener { get; set; } = Serilog.Debugging.SelfLog.FailureListener;

    public object Sender { get; set; } = nameof(FailureReporter);

    public void ReportQueueFullIfDue()
    {
        if (_counters.Refused == Interlocked.Read(ref _refusedAtLastReport))
            return;

        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastReportedAt);
        if (now - last < IntervalMilliseconds || Interlocked.CompareExchange(ref _lastReportedAt, now, last) != last)
            return;

        ReportQueueFull();
    }

    /// <summary>Reports whatever was refused since the last report, due or not.</summary>
    public void ReportQueueFull()
    {
        var total = _counters.Refused;
        var sinceLast = total - Interlocked.Exchange(ref _refusedAtLastReport, total);
        if (sinceLast <= 0)
            return;

        Report(LoggingFailureKind.Permanent,
            $"the queue is full ({_queueLimit} events waiting to be written); dropped {Events(sinceLast)} since the last " +
            $"report, {Events(total)} in all. Raise queueLimit, or set blockWhenFull to wait instead of dropping",
            events: null, exception: null);
    }

    /// <summary>Tells the failure listener; <paramref name="sender"/> defaults to the sink.</summary>
    public void Report(LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception,
        object? sender = null)
    {
        try
        {
            Listener.OnLoggingFailed(sender ?? Sender, kind, message, events, exception);
        }
        catch (Exception ex)
        {
            Serilog.Debugging.SelfLog.WriteLine("SqliteWorker: a failure listener threw while being told \"{0}\": {1}", message, ex);
        }
    }

    static string Events(long count) => count == 1 ? "1 event" : $"{count} events";
}
