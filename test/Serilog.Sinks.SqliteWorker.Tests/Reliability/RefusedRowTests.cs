using System.Collections.Concurrent;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// A row the database refuses, written row by row: alone in its batch it is dropped, not retried, and beside others it
/// leaves them written and counted.
/// </summary>
[Category(Needs.Sqlite3Client)]
public class RefusedRowTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public void AnEventRefusedAloneInItsBatchIsDroppedAndNeverRetried()
    {
        using var folder = new TempFolder();
        var path = CreateWithPoisonTrigger(folder);
        var failures = new FailureCollector();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = path },
                       new BatchingOptions { BatchSizeLimit = 1, BufferingTimeLimit = TimeSpan.FromMilliseconds(50) }), failures)
                   .CreateLogger())
        {
            logger.Information("A poison event");
            failures.WaitFor(_ => true, Patience).Should().BeTrue();
        }

        var report = failures.Failures.Should().ContainSingle("one row alone is the event's own fault, and is not retried").Subject;
        report.Kind.Should().Be(LoggingFailureKind.Permanent);
        report.Events.Should().ContainSingle().Which.MessageTemplate.Text.Should().Be("A poison event");
        Database.Count(path, "logs").Should().Be(1, "only the row that made the tables is there");
    }

    [Test]
    public void TheRowsWrittenBesideARefusedOneAreCountedByTable()
    {
        using var folder = new TempFolder();
        var path = CreateWithPoisonTrigger(folder);
        var written = new BlockingCollection<SqliteWorkerBatchWritten>();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = path, OnBatchWritten = written.Add },
                       new BatchingOptions { BatchSizeLimit = 4, BufferingTimeLimit = TimeSpan.FromHours(1), EagerlyEmitFirstEvent = false })
                   .CreateLogger())
        {
            logger.Information("Kept 1");
            logger.Information("A poison event");
            logger.Metric("kept_metric", 1);
            logger.Information("Kept 2");
            written.TryTake(out var batch, Patience).Should().BeTrue("the four events fill one batch");
            batch!.LogsWritten.Should().Be(2);
            batch.MetricsWritten.Should().Be(1);
            batch.TotalEventsDropped.Should().Be(1);
            batch.EventsQueued.Should().Be(0);
        }

        Database.Count(path, "logs").Should().Be(3, "the two kept events and the row that made the tables");
        Database.Count(path, "metrics").Should().Be(1);
    }

    static string CreateWithPoisonTrigger(TempFolder folder)
    {
        var path = folder.File("logs.db");
        using (var first = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            first.Information("Creates the tables");
        Sqlite3Client.Run(path, "CREATE TRIGGER no_poison BEFORE INSERT ON logs WHEN NEW.message LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poison refused'); END;");
        return path;
    }
}
