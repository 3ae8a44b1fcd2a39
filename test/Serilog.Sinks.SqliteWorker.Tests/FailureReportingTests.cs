using Serilog.Configuration;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class FailureReportingTests
{
    [Test]
    public void AFileThatIsNotADatabaseIsReportedToFailureListenersAndLeftUntouched()
    {
        using var folder = new TempFolder();
        var path = folder.File("notes.db");
        var original = "These are my notes, not a database."u8.ToArray();
        File.WriteAllBytes(path, original);
        var listener = new CollectingListener();

        var sink = AuditedSink.Create(path, listener, new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMilliseconds(50) });
        using (sink)
        {
            var logging = () => sink.Logger.Information("Never throws at the caller");
            logging.Should().NotThrow();
            listener.WaitForFailure(TimeSpan.FromSeconds(30)).Should().BeTrue("the failed batch should be reported");
        }

        sink.Counters.Queued.Should().Be(0, "the event was reported and left the queue");

        var failure = listener.Failures.First();
        failure.Kind.Should().Be(LoggingFailureKind.Final, "a file that is not a database cannot fix itself");
        failure.Events.Should().ContainSingle(e => e.MessageTemplate.Text == "Never throws at the caller");
        failure.Exception!.Message.Should().Contain($"'{path}'").And.Contain("not a database");
        File.ReadAllBytes(path).Should().Equal(original);
        File.Exists(path + "-wal").Should().BeFalse();
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void DroppedEventsAreReportedToFailureListeners()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Creates the file");
        var listener = new CollectingListener();

        // Another process holds the write lock, so the writer waits and no queued event can leave the queue while the
        // loop runs: exactly 3 are accepted and 7 refused, however the threads are scheduled.
        using var lockHolder = LockHolder.Take(path);
        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(path, queueLimit: 3, busyTimeout: TimeSpan.FromMinutes(1)), listener)
                   .CreateLogger())
        {
            for (var i = 0; i < 10; i++)
                logger.Information("Event {Index}", i);
            lockHolder.Release();
        }

        Database.Count(path, "logs").Should().Be(4);

        // The first refusal is reported at once; the rest, within the report interval, when the logger closes.
        var drops = listener.Failures.Where(f => f.Message.Contains("the queue is full (3 events waiting to be written)")).ToList();
        drops.Select(d => d.Message).Should().SatisfyRespectively(
            first => first.Should().Contain("dropped 1 event since the last report, 1 event in all"),
            last => last.Should().Contain("dropped 6 events since the last report, 7 events in all"));
        drops.Should().OnlyContain(d => d.Kind == LoggingFailureKind.Permanent && d.Events.Count == 0);
    }

    // Serilog's own SelfLog listener takes the message as a format string: the sink must not hand it text with braces.
    [Category(Needs.Sqlite3Client)]
    [Test]
    public void BracesInAPathOrATemplateReachSelfLogVerbatim()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.File("br{0}dir"), "logs.db");
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Creates the tables");
        Sqlite3Client.Run(path, "CREATE TRIGGER no_poison BEFORE INSERT ON logs WHEN NEW.message LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poison refused'); END;");
        var selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(selfLog));
        try
        {
            using var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger();
            logger.Information("file test {I}, poison", 1);
            logger.Information("file test {I}", 2);
        }
        finally
        {
            SelfLog.Disable();
        }

        var text = selfLog.ToString();
        text.Should().Contain("an event with the template \"file test {I}, poison\" could not be stored in " +
                              $"'{path}' and was dropped").And.Contain("(Permanent, 1 events)");
        text.Should().NotContain("listener threw").And.NotContain(nameof(FormatException));
        Database.Count(path, "logs").Should().Be(2);
    }

    sealed record Failure(LoggingFailureKind Kind, string Message, IReadOnlyList<LogEvent> Events, Exception? Exception);

    sealed class CollectingListener : ILoggingFailureListener
    {
        readonly SemaphoreSlim _reported = new(0);
        readonly List<Failure> _failures = [];

        public IReadOnlyList<Failure> Failures
        {
            get { lock (_failures) return _failures.ToList(); }
        }

        public void OnLoggingFailed(object sender, LoggingFailureKind kind, string message, IReadOnlyCollection<LogEvent>? events, Exception? exception)
        {
            lock (_failures)
                _failures.Add(new Failure(kind, message, events?.ToList() ?? [], exception));
            _reported.Release();
        }

        public bool WaitForFailure(TimeSpan timeout) => _reported.Wait(timeout);
    }
}
