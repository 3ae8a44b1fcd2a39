using Serilog.Configuration;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>Several processes, and several loggers in one process, writing to one file at the same time.</summary>
[Category(Needs.Sqlite3Client)]
[Category(Needs.Slow)]
public class SeveralWritersTests
{
    const int EventsPerWorker = 5000;

    [Test]
    public void TwoProcessesAndTwoLoggersInThisProcessWriteEveryEventExactlyOnce()
    {
        using var folder = new TempFolder();
        var path = folder.File("shared.db");
        var failures = new FailureCollector();

        // Small batches make many transactions, so the writers keep meeting each other's locks.
        string[] writerArguments(string name) =>
            ["--name", name, "--threads", "2", "--events", EventsPerWorker.ToString(), "--batch-size", "50", "--buffering-ms", "5"];
        using var first = WriterProcess.Start(path, writerArguments("processA"));
        using var second = WriterProcess.Start(path, writerArguments("processB"));

        var loggers = new[] { "loggerA", "loggerB" }.Select(name => (Name: name, Logger: new LoggerConfiguration()
                .WriteTo.Fallible(wt => wt.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = path, BlockWhenFull = true },
                    new BatchingOptions { BatchSizeLimit = 50, BufferingTimeLimit = TimeSpan.FromMilliseconds(5), QueueLimit = 10_000 }), failures)
                .CreateLogger()))
            .ToList();
        var logging = loggers
            .SelectMany(l => Enumerable.Range(0, 2).Select(thread => Task.Run(() =>
            {
                var log = l.Logger.ForContext("Worker", $"{l.Name}-{thread}");
                for (var seq = 0; seq < EventsPerWorker; seq++)
                    log.Information("Event {Seq} from the writer", seq);
            })))
            .ToArray();
        Task.WaitAll(logging);
        foreach (var (_, logger) in loggers)
            logger.Dispose();
        first.WaitForSuccess(TimeSpan.FromSeconds(120));
        second.WaitForSuccess(TimeSpan.FromSeconds(120));

        var workers = WorkerEvents.Read(path);
        workers.Select(w => w.Worker).Should().BeEquivalentTo(
            "processA-0", "processA-1", "processB-0", "processB-1", "loggerA-0", "loggerA-1", "loggerB-0", "loggerB-1");
        workers.Should().OnlyContain(w => w.IsGapFreePrefix && w.Count == EventsPerWorker);
        failures.Failures.Should().BeEmpty("waiting for another writer's lock is not a failure");
        first.Errors.Should().BeEmpty();
        second.Errors.Should().BeEmpty();
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
    }
}
