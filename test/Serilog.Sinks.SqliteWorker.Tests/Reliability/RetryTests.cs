using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// A batch that cannot be written is tried again until the retry time limit, and failure listeners are handed its
/// events, rebuilt from the queued rows, each time it fails.
/// </summary>
[Category(Needs.Sqlite3Client)]
public class RetryTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public void ABatchStillFailingAtTheRetryTimeLimitIsDroppedAndReportedWithItsEvents()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger()) { }
        var failures = new FailureCollector();

        using (var holder = LockHolder.Take(path))
        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(
                       new SqliteWorkerSinkOptions { DatabasePath = path, BusyTimeout = TimeSpan.FromMilliseconds(50) },
                       new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMilliseconds(100), RetryTimeLimit = TimeSpan.FromSeconds(1) }),
                       failures)
                   .CreateLogger())
        {
            logger.Information("Given up");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Permanent, Patience).Should().BeTrue();
            logger.Information("Written once the lock is released");
            holder.Release();
        }

        var reports = failures.Failures;
        reports.Count(f => f.Kind == LoggingFailureKind.Temporary).Should().BeGreaterThan(1, "the batch was tried again before it was given up");
        var dropped = reports.Should().ContainSingle(f => f.Kind == LoggingFailureKind.Permanent).Subject;
        dropped.Events.Should().ContainSingle().Which.MessageTemplate.Text.Should().Be("Given up");
        dropped.Text.Should().Contain("retry time limit").And.Contain($"'{path}'");
        Database.Query(path, "SELECT message FROM logs WHERE id > 0").Select(r => (string)r["message"]!)
            .Should().Equal("Written once the lock is released");
    }

    [Test]
    public void FailureListenersAreHandedTheEventsWithTheirPropertiesAndException()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger()) { }
        var failures = new FailureCollector();
        var exception = new TimeoutException("The warehouse did not answer");

        using (var holder = LockHolder.Take(path))
        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(100),
                       busyTimeout: TimeSpan.FromMilliseconds(50)), failures)
                   .CreateLogger())
        {
            logger.ForContext("SourceContext", "Shop.Orders")
                .Error(exception, "Order {OrderId} for {@Customer} failed after {Elapsed} ms", 42, new { Name = "Ada", Tags = new[] { "vip" } }, 23.4);
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, Patience).Should().BeTrue();
            holder.Release();
        }

        var reported = failures.Failures.First().Events.Should().ContainSingle().Subject;
        reported.Level.Should().Be(Events.LogEventLevel.Error);
        reported.Exception.Should().BeSameAs(exception);
        reported.RenderMessage().Should().Be("Order 42 for { Name: \"Ada\", Tags: [\"vip\"] } failed after 23.4 ms");
        reported.Properties["SourceContext"].ToString().Should().Be("\"Shop.Orders\"");
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE source_context = 'Shop.Orders'").Should().Be(1L, "the retry wrote it");
    }
}
