using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The sink's one way of telling the logger's failure listeners (<c>SelfLog</c> unless configured) what went wrong. A
/// listener that throws is noted in <c>SelfLog</c> and never fails the caller, which may hold a batch already committed.
/// Events refused because the queue was full are reported as one summary per interval rather than a line per event: on
/// a refusal once the interval has passed, after each batch the writer finishes, and a last time when the sink closes,
/// so no refusal goes unreported. Events dropped because the file cannot be used are summarised the same way in
/// <c>SelfLog</c>; a listener of the application's own is still handed each batch, whose events a fallback sink may write.
/// </summary>
sealed class FailureReporter
{
    const long IntervalMilliseconds = 10_000;

    readonly SinkCounters _counters;
    readonly int _queueLimit;
    readonly object _sender;
    long _refusedAtLastReport;
    long _lastReportedAt = Environment.TickCount64 - IntervalMilliseconds;

    // Events dropped because the file cannot be used, not yet summarised; touched by the writer thread alone.
    string? _unusableBecause;
    long _unusableDropped;
    long _unusableUnreported;
    long _unusableReportedAt;

    /// <param name="counters">The sink's counters, for the counts in the reports.</param>
    /// <param name="queueLimit">The queue's limit, named in the report of a full queue.</param>
    /// <param name="sender">What listeners are told the failures come from: the sink.</param>
    public FailureReporter(SinkCounters counters, int queueLimit, object sender)
    {
        _counters = counters;
        _queueLimit = queueLimit;
        _sender = sender;
    }

    /// <summary>Where reports go: <c>SelfLog</c> unless the logger configuration sets a failure listener.</summary>
    public ILoggingFailureListener Listener { get; set; } = SelfLog.FailureListener;

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

    /// <summary>
    /// Notes that from now on batches are dropped for <paramref name="because"/>, just reported with its fix along with
    /// the <paramref name="dropped"/> events of the batch that found it.
    /// </summary>
    public void FileIsUnusable(string because, int dropped)
    {
        _unusableBecause = because;
        _unusableDropped = dropped;
        _unusableReportedAt = Environment.TickCount64;
    }

    /// <summary>
    /// Reports a batch dropped because the file cannot be used, after the one report that said why and how to fix it:
    /// to <c>SelfLog</c> as a count at most once per interval, to any other listener with the batch's events.
    /// </summary>
    public void ReportUnusable(RowBatch batch)
    {
        _unusableDropped += batch.Count;
        if (!ReferenceEquals(Listener, SelfLog.FailureListener))
        {
            Report(LoggingFailureKind.Permanent, $"dropped {Events(batch.Count)}: {_unusableBecause}", batch.RebuildEvents(), null);
            return;
        }

        _unusableUnreported += batch.Count;
        ReportUnusableIfDue();
    }

    /// <summary>Summarises the events dropped since the last summary when the interval has passed, or at once when <paramref name="due"/>.</summary>
    public void ReportUnusableIfDue(bool due = false)
    {
        if (_unusableUnreported == 0 || !due && Environment.TickCount64 - _unusableReportedAt < IntervalMilliseconds)
            return;

        Report(LoggingFailureKind.Permanent,
            $"dropped {Events(_unusableUnreported)} since the last report, {Events(_unusableDropped)} in all: {_unusableBecause}",
            events: null, exception: null);
        _unusableUnreported = 0;
        _unusableReportedAt = Environment.TickCount64;
    }

    /// <summary>Tells the failure listener, as coming from the sink.</summary>
    public void Report(LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
    {
        try
        {
            if (ReferenceEquals(Listener, SelfLog.FailureListener))
                WriteToSelfLog(_sender, kind, message, events, exception);
            else
                Listener.OnLoggingFailed(_sender, kind, message, events, exception);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("SqliteWorker: a failure listener threw while being told \"{0}\": {1}", message, ex);
        }
    }

    // Serilog's SelfLog listener uses the message as a composite format string, so a path or a template with braces in
    // it would throw. The same line is written here with every text as an argument.
    static void WriteToSelfLog(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events,
        Exception? exception)
    {
        var count = events?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unspecified";
        var line = $"{sender.GetType()}: {message} ({kind}, {count} events)";
        SelfLog.WriteLine("{0}", exception == null ? line : line + Environment.NewLine + exception);
    }

    static string Events(long count) => count == 1 ? "1 event" : $"{count} events";
}
