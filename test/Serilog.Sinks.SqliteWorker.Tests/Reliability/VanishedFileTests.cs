using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// The file is deleted or replaced while the application logs: the writer notices before its next batch, says so, and
/// writes to whatever is at the path from then on, as it would on first use.
/// </summary>
public class VanishedFileTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    // With its log and shared memory, as `rm logs.db*` does, or alone, leaving a log that belongs to no file.
    [TestCase(true)]
    [TestCase(false)]
    public void WhenTheFileIsDeletedLaterEventsGoToANewFileAndTheLossIsReported(bool withItsLog)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        var written = new WrittenCount();

        using (var logger = CreateLogger(path, failures, written))
        {
            logger.Information("Before");
            written.WaitFor(1);

            foreach (var file in withItsLog ? new[] { path, path + "-wal", path + "-shm" } : [path])
                File.Delete(file);
            logger.Information("After");
            written.WaitFor(2);
            File.Exists(path).Should().BeTrue("the writer made the file again");
        }

        Messages(path).Should().Equal("After");
        var report = failures.Failures.Should().ContainSingle().Subject;
        report.Kind.Should().Be(LoggingFailureKind.Permanent);
        report.Text.Should().Contain($"'{path}' was deleted or replaced").And.Contain("the last batch, 1 event");
    }

    [Test]
    public void WhenOnlyTheWriteAheadLogIsDeletedNothingIsLostAndANewLogIsMade()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        var written = new WrittenCount();

        using (var logger = CreateLogger(path, failures, written))
        {
            logger.Information("Before");
            written.WaitFor(1);

            File.Delete(path + "-wal");
            logger.Information("After");
            written.WaitFor(2);
            File.Exists(path + "-wal").Should().BeTrue("the writer reopened the file, with a log that readers can see");
        }

        Messages(path).Should().Equal("Before", "After");
        var report = failures.Failures.Should().ContainSingle().Subject;
        report.Kind.Should().Be(LoggingFailureKind.Temporary);
        report.Text.Should().Contain($"'{path}-wal'").And.Contain("deleted").And.Contain("Nothing was lost");
    }

    [Test]
    public void WhenTheFileIsReplacedByAnotherOfTheSinksDatabasesLaterEventsGoToIt()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var other = folder.File("other.db");
        using (var otherLogger = new LoggerConfiguration().WriteTo.SqliteWorker(other).CreateLogger())
            otherLogger.Information("In the other file");
        var failures = new FailureCollector();
        var written = new WrittenCount();

        using (var logger = CreateLogger(path, failures, written))
        {
            logger.Information("Before");
            written.WaitFor(1);

            File.Delete(path + "-wal");
            File.Delete(path + "-shm");
            File.Move(other, path, overwrite: true);
            logger.Information("After");
            written.WaitFor(2);
        }

        Messages(path).Should().Equal("In the other file", "After");
        failures.Failures.Should().ContainSingle().Which.Text.Should().Contain($"'{path}' was deleted or replaced");
    }

    [Test]
    public void WhenTheFileIsReplacedByOneThatIsNotADatabaseTheSinkStopsAndLeavesItAsItIs()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var notes = folder.File("notes.txt");
        File.WriteAllText(notes, "These are my notes, not a database.");
        var failures = new FailureCollector();
        var written = new WrittenCount();

        using (var logger = CreateLogger(path, failures, written))
        {
            logger.Information("Before");
            written.WaitFor(1);

            File.Delete(path + "-wal");
            File.Delete(path + "-shm");
            File.Move(notes, path, overwrite: true);
            logger.Information("After");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Final, Patience).Should().BeTrue();
        }

        failures.Failures.Select(f => f.Kind).Should().Equal(LoggingFailureKind.Permanent, LoggingFailureKind.Final);
        failures.Failures[1].Text.Should().Contain("is not a SQLite database");
        failures.Failures[1].Events.Should().ContainSingle(e => e.MessageTemplate.Text == "After");
        File.ReadAllText(path).Should().Be("These are my notes, not a database.");
        File.Exists(path + "-wal").Should().BeFalse();
    }

    static Logger CreateLogger(string path, FailureCollector failures, WrittenCount written) =>
        new LoggerConfiguration()
            .WriteTo.Fallible(wt => wt.SqliteWorker(
                new SqliteWorkerSinkOptions { DatabasePath = path, OnBatchWritten = written.OnBatchWritten },
                new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMilliseconds(50) }), failures)
            .CreateLogger();

    static List<string> Messages(string path) =>
        Database.Query(path, "SELECT message FROM logs ORDER BY id").Select(r => (string)r["message"]!).ToList();

    /// <summary>The events the sink says it has written, to wait for without reading the file.</summary>
    sealed class WrittenCount
    {
        long _written;

        public void OnBatchWritten(SqliteWorkerBatchWritten batch) => Interlocked.Exchange(ref _written, batch.TotalLogsWritten);

        public void WaitFor(long count) => Poll.Until(() => Interlocked.Read(ref _written) >= count);
    }
}
