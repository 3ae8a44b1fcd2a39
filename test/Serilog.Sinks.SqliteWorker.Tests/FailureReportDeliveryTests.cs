using Serilog.Core;
using Serilog.Debugging;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// How a failure report reaches its reader: a failure listener gets it with the sink as its sender;
/// SelfLog gets one line, with the exception after it when there is one; a listener that throws is itself reported to
/// SelfLog; events dropped because the file cannot be used are reported with their count.
/// </summary>
[NonParallelizable]
public class FailureReportDeliveryTests
{
    StringWriter _selfLog = null!;

    [SetUp]
    public void CaptureSelfLog()
    {
        _selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(_selfLog));
    }

    [TearDown]
    public void ReleaseSelfLog()
    {
        SelfLog.Disable();
        _selfLog.Dispose();
    }

    [Test]
    public void AListenerGetsTheSenderTheReporterWasMadeWith()
    {
        var listener = new SenderCollector();
        var reporter = new FailureReporter(new SinkCounters(), queueLimit: 10, sender: "the sink") { Listener = listener };

        reporter.Report(LoggingFailureKind.Temporary, "a report", null, null);

        listener.Senders.Should().Equal("the sink");
    }

    [Test]
    public void SelfLogGetsOneLineAndTheExceptionOnlyWhenThereIsOne()
    {
        var reporter = new FailureReporter(new SinkCounters(), queueLimit: 10, sender: "the sink");
        var exception = new InvalidOperationException("the cause");

        reporter.Report(LoggingFailureKind.Permanent, "without an exception", [Some.LogEvent("Dropped")], null);
        reporter.Report(LoggingFailureKind.Temporary, "with an exception", null, exception);

        var lines = _selfLog.ToString().Split(Environment.NewLine).ToList();
        lines[0].Should().EndWith("without an exception (Permanent, 1 events)");
        lines[1].Should().EndWith("with an exception (Temporary, unspecified events)");
        lines[2].Should().Be(exception.ToString().Split(Environment.NewLine)[0]);
        _selfLog.ToString().Should().Contain(exception.ToString()).And.NotContain("without an exception (Permanent, 1 events)" + Environment.NewLine + Environment.NewLine);
    }

    [Test]
    public void AListenerThatThrowsIsReportedToSelfLogAndNotToTheCaller()
    {
        var reporter = new FailureReporter(new SinkCounters(), queueLimit: 10, sender: "the sink") { Listener = new ThrowingListener() };

        reporter.Invoking(r => r.Report(LoggingFailureKind.Permanent, "the report", null, null)).Should().NotThrow();

        _selfLog.ToString().Should().Contain("a failure listener threw while being told \"the report\"").And.Contain("the listener's own failure");
    }

    [Test]
    public void EventsDroppedForAnUnusableFileReachAListenerWithTheirCountAndWhy()
    {
        var listener = new FailureCollector();
        var reporter = new FailureReporter(new SinkCounters(), queueLimit: 10, sender: "the sink") { Listener = listener };
        reporter.FileIsUnusable("'logs.db' is corrupt", dropped: 1);

        using var batch = Batch("Second", "Third");
        reporter.ReportUnusable(batch.Rows);

        var report = listener.Failures.Should().ContainSingle().Which;
        report.Kind.Should().Be(LoggingFailureKind.Permanent);
        report.Message.Should().Be("dropped 2 events: 'logs.db' is corrupt");
        report.Events.Select(e => e.MessageTemplate.Text).Should().Equal("Second", "Third");
    }

    [Test]
    public void EventsDroppedForAnUnusableFileAreSummedInSelfLogWhenTheSummaryIsDue()
    {
        var reporter = new FailureReporter(new SinkCounters(), queueLimit: 10, sender: "the sink");
        reporter.FileIsUnusable("'logs.db' is corrupt", dropped: 1);

        using (var batch = Batch("Second", "Third"))
            reporter.ReportUnusable(batch.Rows);
        using (var batch = Batch("Fourth"))
            reporter.ReportUnusable(batch.Rows);
        reporter.ReportUnusableIfDue(due: true);

        _selfLog.ToString().Should().Contain("dropped 3 events since the last report, 4 events in all: 'logs.db' is corrupt");
    }

    /// <summary>A batch of rows taken from a queue of its own, holding the events with these templates.</summary>
    static QueuedBatch Batch(params string[] templates)
    {
        var queue = new RowQueue(null, [], 10);
        foreach (var template in templates)
            queue.Add(Some.LogEvent(template));
        var rows = new RowBatch();
        queue.Take(templates.Length, rows);
        return new QueuedBatch(queue, rows);
    }

    sealed record QueuedBatch(RowQueue Queue, RowBatch Rows) : IDisposable
    {
        public void Dispose() => Queue.Dispose();
    }

    sealed class SenderCollector : ILoggingFailureListener
    {
        public List<object> Senders { get; } = [];

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<Serilog.Events.LogEvent>? events,
            Exception? exception) => Senders.Add(sender);
    }

    sealed class ThrowingListener : ILoggingFailureListener
    {
        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<Serilog.Events.LogEvent>? events,
            Exception? exception) => throw new InvalidOperationException("the listener's own failure");
    }
}
