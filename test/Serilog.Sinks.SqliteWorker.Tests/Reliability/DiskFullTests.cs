using Serilog.Configuration;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>A disk that fills up under the sink, on a small tmpfs, and then gets room again.</summary>
[Category(Needs.Root)]
[Category(Needs.Sqlite3Client)]
public class DiskFullTests
{
    // With a size limit (far above what the test writes), the file is made with incremental auto-vacuum and retention
    // reads its size after every batch: a writer that found the disk full must recover in such a file too.
    [TestCase(null)]
    [TestCase(64L * 1024 * 1024)]
    public void ABatchThatFindsTheDiskFullIsReportedKeptAndWrittenWhenThereIsRoomAgain(long? maxDatabaseSize)
    {
        using var disk = Tmpfs.Mount(8 * 1024 * 1024);
        var path = disk.File("logs.db");
        var failures = new FailureCollector();
        var padding = new string('x', 10_000);

        // Audited, so that an exception from Emit would reach this test rather than SelfLog.
        var sink = AuditedSink.Create(new SqliteWorkerSinkOptions { DatabasePath = path, MaxDatabaseSize = maxDatabaseSize }, failures,
            new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMilliseconds(500), BatchSizeLimit = 1000 });
        using (sink)
        {
            var logger = sink.Logger;
            for (var i = 0; i < 100; i++)
                logger.Information("Before {Seq} {Padding}", i, padding);
            WaitUntil(() => Rows(path) == 100);

            var filler = FillTheDisk(disk);
            // About 3 MB in one batch: more than the WAL has room for, so it must grow, and cannot.
            var logging = () =>
            {
                for (var i = 0; i < 300; i++)
                    logger.Information("During {Seq} {Padding}", i, padding);
            };
            logging.Should().NotThrow();
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, TimeSpan.FromSeconds(30)).Should().BeTrue();
            Database.Count(path, "logs").Should().Be(100, "the failed batch rolled back");

            File.Delete(filler);
            // Serilog's retry, with its backoff, writes the batch; the logger is not closed before it has.
            WaitUntil(() => Rows(path) == 400);
        }

        sink.Counters.Queued.Should().Be(0);
        var failure = failures.Failures.First();
        failure.Text.Should().Contain($"'{path}'").And.Contain("full");
        failure.Events.Should().HaveCount(300);
        failures.Failures.Select(f => (f.Kind, f.Text)).Should().OnlyContain(f => f.Kind == LoggingFailureKind.Temporary, "nothing was dropped");
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'Before {Seq} {Padding}'").Should().Be(100L);
        Database.Scalar(path, "SELECT COUNT(DISTINCT json_extract(properties, '$.Seq')) FROM logs WHERE message_template = 'During {Seq} {Padding}'")
            .Should().Be(300L);
        Database.Count(path, "logs").Should().Be(400, "each event once");
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
        Sqlite3Client.Scalar(path, "PRAGMA auto_vacuum;").Should().Be(maxDatabaseSize == null ? "0" : "2");
    }

    [Test]
    public void UnderASizeLimitAWriterThatFoundTheDiskFullRecoversAndTheFileIsBroughtBackUnderTheLimit()
    {
        const long limit = 2 * 1024 * 1024;
        using var disk = Tmpfs.Mount(8 * 1024 * 1024);
        var path = disk.File("logs.db");
        var failures = new FailureCollector();
        var padding = new string('x', 5_000); // in the message and in the properties: about 10 KB a row

        using (var logger = FallibleLogger(path, limit, failures))
        {
            for (var i = 0; i < 100; i++)
                logger.Information("Before {Seq} {Padding}", i, padding);
            WaitUntil(() => Rows(path) == 100);

            var filler = FillTheDisk(disk);
            // About 1.5 MB in one batch: more than the WAL has room for; once written, the rows are over the limit.
            for (var i = 0; i < 150; i++)
                logger.Information("During {Seq} {Padding}", i, padding);
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, TimeSpan.FromSeconds(30)).Should().BeTrue();

            File.Delete(filler);
            WaitUntil(() => Count(path, "During") == 150);
            // Retention deletes the oldest rows and gives the pages beyond the limit back, and logging goes on.
            for (var i = 0; i < 10; i++)
                logger.Information("After {Seq} {Padding}", i, padding);
            WaitUntil(() => Count(path, "After") == 10 && FileBytes(path) <= limit);
        }

        failures.Failures.Should().OnlyContain(f => f.Kind == LoggingFailureKind.Temporary, "nothing was dropped");
        Count(path, "Before").Should().BeLessThan(100, "the oldest rows made room");
        Count(path, "During").Should().Be(150, "the batch that found the disk full was written once there was room");
        new FileInfo(path).Length.Should().BeLessThanOrEqualTo(limit);
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
    }

    // The database and its own WAL fill the disk, with nothing else on it: a 3 MB batch into a 2 MB file under a 2 MB
    // limit, on an 8 MB disk. The batch in the WAL and the main file grown to hold it leave almost nothing free. Deletes
    // written then must not take the room the checkpoint needs to copy the WAL back, or every later batch fails until
    // something else on the disk is deleted.
    [TestCase(true)]
    [TestCase(false)]
    public void WhenTheDatabaseAndItsWalFillTheDiskUnderASizeLimitLoggingGoesOnWithNothingElseDeleted(bool autoVacuum)
    {
        const long limit = 2 * 1024 * 1024;
        const int Burst = 295;
        using var disk = Tmpfs.Mount(8 * 1024 * 1024);
        var path = disk.File("logs.db");
        var failures = new FailureCollector();
        var padding = new string('x', 5_000); // in the message and in the properties: about 10 KB a row

        if (!autoVacuum)
        {
            // A file made without a size limit, as by an earlier version of the sink, has no auto-vacuum.
            using var earlier = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger();
            earlier.Information("Earlier {Seq} {Padding}", 0, padding);
        }

        // Written rows are counted as the sink reports them, not read from the file: a reader's snapshot would hold
        // back the checkpoint this test is about.
        long written = 0;
        var options = new SqliteWorkerSinkOptions
        {
            DatabasePath = path,
            MaxDatabaseSize = limit,
            OnBatchWritten = b => Interlocked.Exchange(ref written, b.TotalLogsWritten),
        };
        var batching = new BatchingOptions { BatchSizeLimit = 1000, BufferingTimeLimit = TimeSpan.FromMilliseconds(200) };
        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(options, batching), failures)
                   .CreateLogger())
        {
            // About 2 MB, 20 rows a batch: the file reaches the limit, and the oldest rows start to go.
            for (var i = 0; i < 200; i++)
            {
                logger.Information("Before {Seq} {Padding}", i, padding);
                if (i % 20 == 19)
                    WaitUntil(() => Interlocked.Read(ref written) == i + 1);
            }

            // About 3 MB in one batch: over the limit on its own. With 300 rows its own checkpoint leaves no page free,
            // so the next batch fails whatever retention does; at 295 a few pages are left, which deletes written to the
            // WAL before the checkpoint completes can take.
            for (var i = 0; i < Burst; i++)
                logger.Information("Burst {Seq} {Padding}", i, padding);
            WaitUntil(() => Interlocked.Read(ref written) == 200 + Burst);

            // Retention deletes the oldest rows, and what is logged next must be written, with no help from outside.
            for (var i = 0; i < 60; i++)
            {
                logger.Information("After {Seq} {Padding}", i, padding);
                if (i % 10 == 9)
                    WaitUntil(() => Interlocked.Read(ref written) == 201 + Burst + i);
            }
        }

        failures.Failures.Should().NotContain(f => f.Kind != LoggingFailureKind.Temporary, "nothing was dropped");
        Count(path, "After").Should().Be(60, "the newest rows stay, each once");
        // Retention deletes from the first row on: what is left is every row from some point to the last, with no gap.
        Database.Scalar(path, "SELECT max(id) - min(id) + 1 - COUNT(*) FROM logs").Should().Be(0L, "no committed row was lost but the oldest");
        Database.Scalar(path, "SELECT max(id) FROM logs").Should().Be(260L + Burst + (autoVacuum ? 0 : 1), "every event was written once");
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
        Sqlite3Client.Scalar(path, "PRAGMA auto_vacuum;").Should().Be(autoVacuum ? "2" : "0");
    }

    // The log keeps the size of the largest batch it has held (journal_size_limit is far above a small disk), room the
    // database cannot grow into. Once a write has found the disk full, the writer truncates the log again.
    [Test]
    public void AfterTheDiskWasFullTheWriteAheadLogGivesItsRoomBack()
    {
        using var disk = Tmpfs.Mount(8 * 1024 * 1024);
        var path = disk.File("logs.db");
        var failures = new FailureCollector();
        var padding = new string('x', 5_000); // in the message and in the properties: about 10 KB a row

        using (var logger = FallibleLogger(path, null, failures))
        {
            // About 2 MB in one batch: the log grows to hold it, and keeps that size.
            for (var i = 0; i < 200; i++)
                logger.Information("Before {Seq} {Padding}", i, padding);
            WaitUntil(() => Rows(path) == 200);

            var filler = FillTheDisk(disk);
            // About 2.5 MB in one batch: more than the log holds, so it must grow, and cannot.
            for (var i = 0; i < 250; i++)
                logger.Information("During {Seq} {Padding}", i, padding);
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Temporary, TimeSpan.FromSeconds(30)).Should().BeTrue();

            File.Delete(filler);
            var freed = System.Diagnostics.Stopwatch.StartNew();
            WaitUntil(() => Count(path, "During") == 250);
            TestContext.Out.WriteLine($"Writing resumed {freed.Elapsed.TotalSeconds:F1} s after the disk had room again");

            logger.Information("After {Seq} {Padding}", 0, "small");
            WaitUntil(() => Count(path, "After") == 1);
            new FileInfo(path + "-wal").Length.Should().BeLessThan(1024 * 1024, "the log gave back the room the large batches took");
        }

        failures.Failures.Should().OnlyContain(f => f.Kind == LoggingFailureKind.Temporary, "nothing was dropped");
        Database.Count(path, "logs").Should().Be(451, "each event once");
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
    }

    // Batches of up to 1,000 every half second, so that a test's burst arrives in one batch.
    static Logger FallibleLogger(string path, long? maxDatabaseSize, FailureCollector failures) =>
        new LoggerConfiguration()
            .WriteTo.Fallible(wt => wt.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(500),
                batchSizeLimit: 1000, maxDatabaseSize: maxDatabaseSize), failures)
            .CreateLogger();

    static long Count(string path, string template) =>
        (long)Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = @template", ("@template", template + " {Seq} {Padding}"))!;

    static long FileBytes(string path) =>
        (long)Database.Scalar(path, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")!;

    static string FillTheDisk(Tmpfs disk)
    {
        var filler = disk.File("filler");
        using var file = new FileStream(filler, FileMode.CreateNew);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // No space left on the device: exactly what is wanted.
        }

        return filler;
    }

    static long Rows(string path)
    {
        try
        {
            return Database.Count(path, "logs");
        }
        catch (System.Data.SQLite.SQLiteException)
        {
            return 0; // not created yet
        }
    }

    static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "the condition should hold within 30 s");
            Thread.Sleep(20);
        }
    }
}
