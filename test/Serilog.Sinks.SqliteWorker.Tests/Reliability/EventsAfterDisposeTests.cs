using Serilog.Configuration;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// An event that reaches the sink after it was disposed is ignored, as Serilog's own sinks ignore it: not queued where
/// nothing will write it, and not reported as a failure.
/// </summary>
public class EventsAfterDisposeTests
{
    [Test]
    public void AnEventEmittedAfterDisposeIsNotQueuedAndNothingIsReported()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        var counters = new SinkCounters();
        var writer = new SqliteWorkerSink(new SqliteWorkerSinkOptions { DatabasePath = path }, DatabaseLocation.Resolve(path),
            new BatchingOptions(), queueLimit: 1000, counters);
        writer.SetFailureListener(failures);
        writer.Emit(Some.LogEvent("Before dispose"));

        writer.Dispose();
        writer.Emit(Some.LogEvent("After dispose"));

        counters.Queued.Should().Be(0);
        counters.Dropped.Should().Be(0);
        failures.Failures.Should().BeEmpty();
        Database.Query(path, "SELECT message FROM logs").Select(r => r["message"]).Should().Equal("Before dispose");
    }

    [Test]
    public void AnEventLoggedThroughALoggerAfterItWasDisposedReachesNeitherTheFileNorTheFailureListener()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        var logger = new LoggerConfiguration().WriteTo.Fallible(wt => wt.SqliteWorker(path), failures).CreateLogger();
        logger.Information("Before dispose");

        logger.Dispose();
        logger.Information("After dispose");

        failures.Failures.Should().BeEmpty();
        Database.Query(path, "SELECT message FROM logs").Select(r => r["message"]).Should().Equal("Before dispose");
    }
}
