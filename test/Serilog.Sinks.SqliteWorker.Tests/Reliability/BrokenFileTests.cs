using Serilog.Configuration;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>
/// Files the sink cannot write: each is reported, naming the path and the cause; those that cannot fix themselves are
/// a Final failure after which the sink stops touching the file; the application carries on; the file keeps its bytes.
/// </summary>
public class BrokenFileTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public void AFileThatIsNotADatabaseIsAFinalFailureAndKeepsItsBytes()
    {
        using var folder = new TempFolder();
        var path = folder.File("notes.db");
        File.WriteAllText(path, "These are my notes, not a database. " + new string('.', 5000));

        ExpectFinalFailure(path, "is not a SQLite database");
    }

    [Test]
    public void ATruncatedDatabaseIsAFinalFailureAndKeepsItsBytes()
    {
        using var folder = new TempFolder();
        var path = folder.File("truncated.db");
        WriteSomeRows(path);
        using (var file = new FileStream(path, FileMode.Open))
            file.SetLength(file.Length / 2);

        ExpectFinalFailure(path, "is corrupt");
    }

    [Test]
    public void ADatabaseWithCorruptPagesIsAFinalFailureAndKeepsItsBytes()
    {
        using var folder = new TempFolder();
        var path = folder.File("corrupt.db");
        WriteSomeRows(path);
        // Every page but the first (the header and the schema) overwritten with noise.
        var bytes = File.ReadAllBytes(path);
        var pageSize = bytes[16] << 8 | bytes[17];
        new Random(5).NextBytes(bytes.AsSpan(pageSize));
        File.WriteAllBytes(path, bytes);

        ExpectFinalFailure(path, "is corrupt");
    }

    // A directory at the path when the sink is configured is refused there (see ConfigurationTests); this one comes later.
    [Test]
    public void APathThatBecomesADirectoryAfterConfigurationIsAFinalFailure()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var failures = new FailureCollector();
        using var sink = SinkFactory.Create(path, listener: failures);
        Directory.CreateDirectory(path);

        sink.EmitBatchAsync([Some.LogEvent("The first event")]).Wait();
        sink.EmitBatchAsync([Some.LogEvent("A later event")]).Wait();

        failures.Failures.Select(f => f.Kind).Should().Equal(LoggingFailureKind.Final, LoggingFailureKind.Permanent);
        failures.Failures[0].Text.Should().Contain($"'{path}'").And.Contain("is a directory");
        failures.Failures[1].Events.Should().ContainSingle(e => e.MessageTemplate.Text == "A later event");
        Directory.EnumerateFileSystemEntries(path).Should().BeEmpty();
    }

    // SelfLog, the default listener, gets the cause and its fix once, then a count now and then, not a line per batch.
    [Test]
    public void AFileThatIsNotADatabaseIsExplainedOnceInSelfLogAndItsDropsSummarised()
    {
        using var folder = new TempFolder();
        var path = folder.File("notes.db");
        File.WriteAllText(path, "These are my notes, not a database.");
        var selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(selfLog));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // One event a batch: each later event is a batch dropped.
            using var logger = new LoggerConfiguration()
                .WriteTo.SqliteWorker(path, batchSizeLimit: 1, bufferingTimeLimit: TimeSpan.FromMilliseconds(10))
                .CreateLogger();
            for (var i = 0; i < 20; i++)
                logger.Information("Event {Index}", i);
        }
        finally
        {
            SelfLog.Disable();
        }

        // The lines SelfLog starts (an exception's text follows on lines of its own) that name the file.
        var lines = selfLog.ToString().Split(Environment.NewLine)
            .Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\d{4}-\d\d-\d\dT") && l.Contains(path)).ToList();
        lines.Should().ContainSingle(l => l.Contains("(Final, 1 events)"))
            .Which.Should().Contain("is not a SQLite database").And.Contain("configure another path");
        var summaries = lines.Where(l => l.Contains("since the last report")).ToList();
        summaries.Should().HaveCount(lines.Count - 1, "nothing else is said about the file");
        summaries.Count.Should().BeInRange(1, 1 + (int)(clock.Elapsed.TotalSeconds / 10), "a summary comes at most every 10 s, and at close");
        summaries[^1].Should().Contain("20 events in all").And.Contain("(Permanent, unspecified events)");
        File.ReadAllText(path).Should().Be("These are my notes, not a database.");
    }

    [Category(Needs.Root)]
    [Test]
    public void ADatabaseOnAReadOnlyFileSystemIsAFinalFailureAndKeepsItsBytes()
    {
        using var disk = Tmpfs.Mount(4 * 1024 * 1024);
        var path = disk.File("logs.db");
        WriteSomeRows(path);
        disk.RemountReadOnly();

        ExpectFinalFailure(path, "is read-only");
    }

    [Category(Needs.Root)]
    [Test]
    public void AMissingDatabaseInAReadOnlyFolderIsAFinalFailure()
    {
        using var disk = Tmpfs.Mount(1024 * 1024);
        var path = disk.File("logs.db");
        disk.RemountReadOnly();

        ExpectFinalFailure(path, "its folder is read-only for this process");
        ExpectFinalFailure(path, "SQLite needs to create the -wal and -shm files next to the database. Give the process write " +
                                 "access to the folder, or configure another path, then restart the application");
        File.Exists(path).Should().BeFalse();
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void AWriteLockHeldLongerThanTheBusyTimeoutIsATemporaryFailureAndTheBatchIsWrittenWhenItIsReleased()
    {
        using var folder = new TempFolder();
        var path = folder.File("locked.db");
        WriteSomeRows(path);
        var failures = new FailureCollector();

        using (var holder = LockHolder.Take(path))
        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(200),
                       busyTimeout: TimeSpan.FromMilliseconds(100)), failures)
                   .CreateLogger())
        {
            logger.Information("Written once the lock is released");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, Patience).Should().BeTrue();
            holder.Release();
        }

        var failure = failures.Failures.First();
        failure.Text.Should().Contain($"'{path}'").And.Contain("locked");
        failure.Events.Should().ContainSingle(e => e.MessageTemplate.Text == "Written once the lock is released");
        failures.Failures.Should().OnlyContain(f => f.Kind == LoggingFailureKind.Temporary, "nothing was dropped");
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message = 'Written once the lock is released'").Should().Be(1L);
    }

    static void WriteSomeRows(string path)
    {
        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            for (var i = 0; i < 3000; i++)
                logger.Information("Row {Index} of the user's data, padded {Padding}", i, new string('x', 100));
        }

        // The last connection to close checkpoints the WAL into the file and deletes it.
        File.Exists(path + "-wal").Should().BeFalse();
    }

    static void ExpectFinalFailure(string path, string cause)
    {
        var bytesBefore = File.Exists(path) ? File.ReadAllBytes(path) : null;
        var failures = new FailureCollector();

        var sink = AuditedSink.Create(path, failures, new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMilliseconds(50) });
        using (sink)
        {
            var logger = sink.Logger;
            var logging = () => logger.Information("The first event");
            logging.Should().NotThrow();
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Final, Patience).Should().BeTrue(
                $"the sink should give up on {path} at once; it reported: {string.Join("; ", failures.Failures.Select(f => f.Text))}");

            logging = () => logger.Information("A later event");
            logging.Should().NotThrow();
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Permanent, Patience).Should().BeTrue("later events are dropped and reported");
        }

        sink.Counters.Queued.Should().Be(0, "both events were reported and left the queue");
        var reports = failures.Failures;
        var final = reports.Single(f => f.Kind == LoggingFailureKind.Final);
        final.Text.Should().Contain($"'{path}'").And.Contain(cause);
        final.Events.Should().ContainSingle(e => e.MessageTemplate.Text == "The first event");
        reports.Should().NotContain(f => f.Kind == LoggingFailureKind.Temporary, "a retry cannot help, so none is made");
        reports.Single(f => f.Kind == LoggingFailureKind.Permanent).Events
            .Should().ContainSingle(e => e.MessageTemplate.Text == "A later event");

        if (bytesBefore != null)
        {
            File.ReadAllBytes(path).Should().Equal(bytesBefore, "the user's file is never written, truncated or replaced");
            File.Exists(path + "-wal").Should().BeFalse();
        }
    }
}
