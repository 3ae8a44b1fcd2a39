using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// A batch that failed just before the logger is closed, with nothing queued behind it: Serilog's batching would not
/// retry it at shutdown, so the sink does, once.
/// </summary>
[Category(Needs.Sqlite3Client)]
public class ShutdownTests
{
    [Test]
    public void ABatchThatFailedJustBeforeShutdownIsWrittenWhenTheLoggerIsClosed()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger()) { }
        var failures = new FailureCollector();

        using (var holder = LockHolder.Take(path))
        {
            // Serilog's next retry is minutes away; only the sink's own attempt at shutdown can write the event.
            using var logger = CreateLogger(path, failures);
            logger.Information("Failed once, then written at shutdown");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, TimeSpan.FromSeconds(30)).Should().BeTrue();
            holder.Release();
        }

        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message = 'Failed once, then written at shutdown'").Should().Be(1L);
        failures.Failures.Should().OnlyContain(f => f.Kind == LoggingFailureKind.Temporary);
    }

    [Test]
    public void ABatchThatStillFailsAtShutdownIsReportedAsAFinalFailureWithItsEvents()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger()) { }
        var failures = new FailureCollector();

        using (LockHolder.Take(path))
        {
            using var logger = CreateLogger(path, failures);
            logger.Information("Lost, but not silently");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, TimeSpan.FromSeconds(30)).Should().BeTrue();
        }

        var final = failures.Failures.Should().ContainSingle(f => f.Kind == LoggingFailureKind.Final).Subject;
        final.Events.Should().ContainSingle(e => e.MessageTemplate.Text == "Lost, but not silently");
        final.Text.Should().Contain($"'{path}'").And.Contain("failed again when the sink was closed");
    }

    static Logger CreateLogger(string path, FailureCollector failures) =>
        new LoggerConfiguration()
            .WriteTo.Fallible(wt => wt.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMinutes(5),
                busyTimeout: TimeSpan.FromMilliseconds(100)), failures)
            .CreateLogger();
}
