using System.Data.SQLite;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// What the writer says when a batch is not written, or may have been lost: each report names the file and counts the
/// events it is about, since a count is what a reader of SelfLog needs to know how much is gone. The writer is driven
/// batch by batch, so each report follows from the batch before it.
/// </summary>
public class WriterReportTests
{
    [TestCase(1, "the last batch, 1 event, was written after the sink last found the file in place")]
    [TestCase(3, "the last batch, 3 events, was written after the sink last found the file in place")]
    public async Task WhenTheFileIsDeletedTheReportCountsTheLogsAndMetricsOfTheLastBatch(int events, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        using var driver = SinkFactory.Create(path, listener: failures);

        // Two logs and a metric make three: both tables count.
        var batch = events == 1 ? [Some.LogEvent("Before")]
            : new[] { Some.LogEvent("Before"), MetricEvent.Create("before_ms", 1, "ms"), Some.LogEvent("Before again") };
        await driver.EmitBatchAsync(batch);
        DeleteWithItsLog(path);
        await driver.EmitBatchAsync([Some.LogEvent("After")]);

        var report = failures.Failures.Should().ContainSingle().Subject;
        report.Kind.Should().Be(LoggingFailureKind.Permanent);
        report.Text.Should().Contain($"'{path}' was deleted or replaced while the sink was writing to it. The sink opens the path " +
            "again, making a new file if there is none, and goes on; ").And.Contain(expected);
    }

    [Test]
    public async Task WhenTheFileIsDeletedAfterABatchThatWroteNothingTheReportSaysNothingWasWrittenToIt()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        using var driver = SinkFactory.Create(path, listener: failures);
        await driver.EmitBatchAsync([Some.LogEvent("Creates the tables")]);
        Database.Query(path, "CREATE TRIGGER no_poison BEFORE INSERT ON logs WHEN NEW.message LIKE '%poison%' BEGIN SELECT RAISE(ABORT, 'poison refused'); END;");

        // Checked in place before it, and then nothing written: the refused event is reported on its own.
        await driver.EmitBatchAsync([Some.LogEvent("A poison event")]);
        DeleteWithItsLog(path);
        await driver.EmitBatchAsync([Some.LogEvent("After")]);

        failures.Failures.Should().HaveCount(2);
        failures.Failures[0].Text.Should().Contain("\"A poison event\" could not be stored in").And.Contain("poison refused");
        failures.Failures[1].Text.Should().Contain($"'{path}' was deleted or replaced")
            .And.Contain("no event was written to the old file since the sink last found it in place");
    }

    [TestCase(1, "this event and every later one are dropped")]
    [TestCase(2, "these 2 events and every later one are dropped")]
    public async Task WhenTheFileIsNotADatabaseTheReportCountsTheEventsDropped(int events, string expected)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        File.WriteAllText(path, "These are my notes, not a database.");
        var failures = new FailureCollector();
        using var driver = SinkFactory.Create(path, listener: failures);

        await driver.EmitBatchAsync(Enumerable.Range(0, events).Select(i => Some.LogEvent($"Event {i}")).ToList());

        var final = failures.Failures.Should().ContainSingle(f => f.Kind == LoggingFailureKind.Final).Subject;
        final.Text.Should().Contain($"'{path}' is not a SQLite database").And.Contain(expected);
        final.Events.Should().HaveCount(events);
    }

    [Test]
    public async Task ABatchThatALockKeepsOutFailsWithAMessageThatCountsItsEventsAndSaysNothingWasWritten()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using var driver = SinkFactory.Create(path, o => o.BusyTimeout = TimeSpan.FromMilliseconds(100));
        await driver.EmitBatchAsync([Some.LogEvent("Creates the tables")]);

        using (var holder = new SQLiteConnection($"Data Source={path}"))
        {
            holder.Open();
            using var transaction = holder.BeginTransaction(); // BEGIN IMMEDIATE: the write lock
            var write = () => driver.EmitBatchAsync([Some.LogEvent("One"), Some.LogEvent("Two")]);

            (await write.Should().ThrowAsync<IOException>()).Which.Message.Should()
                .StartWith($"Writing a batch of 2 events to '{path}' failed, and nothing of it was written: ");
        }

        Database.Count(path, "logs").Should().Be(1);
    }

    [Test]
    public async Task WhenEveryRowOfABatchIsRefusedTheWriterLetsGoOfItsConnectionAsAfterAnyFailedBatch()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        using var driver = SinkFactory.Create(path);
        await driver.EmitBatchAsync([Some.LogEvent("Creates the tables")]);
        driver.Connection.Should().NotBeNull();
        Database.Query(path, "CREATE TRIGGER refuse_all BEFORE INSERT ON logs BEGIN SELECT RAISE(ABORT, 'refused for now'); END;");

        var write = () => driver.EmitBatchAsync([Some.LogEvent("One"), Some.LogEvent("Two")]);

        (await write.Should().ThrowAsync<IOException>()).Which.Message.Should()
            .StartWith($"Writing a batch of 2 events to '{path}' failed, and nothing of it was written: ").And.Contain("failed alike");
        driver.Connection.Should().BeNull("the next batch starts on a fresh connection, in case the old one is what broke");
    }

    [Test]
    public void TheSinksThreadIsABackgroundThreadNamedAfterItsFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var thread = new TaskCompletionSource<(string? Name, bool IsBackground)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var options = new SqliteWorkerSinkOptions
        {
            DatabasePath = path,
            OnBatchWritten = _ => thread.TrySetResult((Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground)),
        };
        using var sink = AuditedSink.Create(options, new FailureCollector());

        sink.Logger.Information("Hello");

        thread.Task.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue("the batch is written");
        thread.Task.Result.Name.Should().Be($"SqliteWorker('{path}') writer");
        thread.Task.Result.IsBackground.Should().BeTrue("a logger left undisposed must not keep the process alive");
        sink.Writer.ToString().Should().Be($"SqliteWorker('{path}')");
    }

    static void DeleteWithItsLog(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            File.Delete(file);
    }
}
