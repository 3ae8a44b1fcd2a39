using System.Collections.Concurrent;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>What a batch given up at the retry time limit leaves behind: a count of what was dropped, and an empty queue.</summary>
[Category(Needs.Sqlite3Client)]
public class RetryLimitTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public void ABatchGivenUpAtTheRetryTimeLimitIsCountedAsDroppedAndNoLongerQueued()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using (new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger()) { }
        var failures = new FailureCollector();
        var written = new BlockingCollection<SqliteWorkerBatchWritten>();

        using (var holder = LockHolder.Take(path))
        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(
                       new SqliteWorkerSinkOptions
                       {
                           DatabasePath = path,
                           BusyTimeout = TimeSpan.FromMilliseconds(50),
                           OnBatchWritten = written.Add,
                       },
                       new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMilliseconds(100), RetryTimeLimit = TimeSpan.FromSeconds(1) }),
                       failures)
                   .CreateLogger())
        {
            logger.Information("Given up");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Permanent, Patience).Should().BeTrue();
            holder.Release();

            logger.Information("Written once the lock is released");
            written.TryTake(out var batch, Patience).Should().BeTrue("the next batch is written once the lock is released");
            batch!.LogsWritten.Should().Be(1);
            batch.TotalEventsDropped.Should().Be(1, "the event of the batch given up counts as dropped");
            batch.EventsQueued.Should().Be(0, "the batch given up left the queue");
        }

        failures.Failures.Where(f => f.Kind == LoggingFailureKind.Permanent).SelectMany(f => f.Events)
            .Select(e => e.MessageTemplate.Text).Should().Equal("Given up");
        Database.Query(path, "SELECT message FROM logs WHERE id > 0").Select(r => (string)r["message"]!)
            .Should().Equal("Written once the lock is released");
    }
}
