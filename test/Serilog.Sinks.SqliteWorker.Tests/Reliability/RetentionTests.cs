using System.Data.SQLite;
using System.Diagnostics;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;
using static Serilog.Sinks.SqliteWorker.Tests.Support.RetentionFiles;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>retentionPeriod and maxDatabaseSize: what they delete, how much at a time, and what they leave alone.</summary>
public class RetentionTests
{
    const long OneMegabyte = 1024 * 1024;
    const long OneGigabyte = 1024 * OneMegabyte;
    static readonly DateTimeOffset TwoDaysAgo = DateTimeOffset.UtcNow.AddDays(-2);

    [Test]
    public void RowsOlderThanTheRetentionPeriodAreDeletedFromBothTablesAndNewerOnesKept()
    {
        using var folder = new TempFolder();
        var path = folder.File("retention.db");

        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(50), retentionPeriod: TimeSpan.FromHours(1))
                   .CreateLogger())
        {
            // Old and new interleaved, so that nothing depends on the old rows coming first.
            for (var i = 0; i < 50; i++)
            {
                logger.Write(Some.LogEvent("Old {Seq}", timestamp: TwoDaysAgo.AddMinutes(i), properties: [Some.Property("Seq", i)]));
                logger.Write(Some.LogEvent("New {Seq}", properties: [Some.Property("Seq", i)]));
                logger.Write(Metric("old_metric", i, TwoDaysAgo.AddMinutes(i)));
                logger.Metric("new_metric", i);
            }

            Poll.Until(() => Database.CountOrMissing(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'Old {Seq}'") == 0 &&
                            Database.CountOrMissing(path, "SELECT COUNT(*) FROM metrics WHERE metric_name = 'old_metric'") == 0 &&
                            Database.CountOrMissing(path, "SELECT COUNT(*) FROM logs") == 50 && Database.CountOrMissing(path, "SELECT COUNT(*) FROM metrics") == 50);
        }

        Database.Scalar(path, "SELECT COUNT(DISTINCT json_extract(properties, '$.Seq')) FROM logs WHERE message_template = 'New {Seq}'")
            .Should().Be(50L);
        Database.Scalar(path, "SELECT COUNT(DISTINCT value) FROM metrics WHERE metric_name = 'new_metric'").Should().Be(50L);
        Database.Count(path, "logs").Should().Be(50, "only the old rows went");
        Database.Count(path, "metrics").Should().Be(50);
    }

    [Test]
    public async Task ABacklogIsDeletedAChunkPerTransactionOverSeveralTurns()
    {
        using var folder = new TempFolder();
        var path = folder.File("backlog.db");
        const int backlog = 5 * RetentionPolicy.ChunkRows + 123;
        await CreateTables(path);
        PrefillOldLogs(path, backlog);

        using var connection = Open(path);
        var deletedPerTransaction = new List<int>();
        var deleted = 0;
        connection.Update += (_, e) => deleted += e.Event == UpdateEventType.Delete ? 1 : 0;
        connection.Commit += (_, _) =>
        {
            deletedPerTransaction.Add(deleted);
            deleted = 0;
        };
        var policy = Policy(new SqliteWorkerSinkOptions { RetentionPeriod = TimeSpan.FromHours(1) }, turnBudget: TimeSpan.Zero);

        policy.RunIfDue(connection, batchWaiting: false);
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'Old'").Should().Be(
            (long)backlog - RetentionPolicy.ChunkRows, "a turn with no time to spare deletes one chunk and leaves the rest for later turns");

        for (var turn = 0; turn < 10; turn++)
            policy.RunIfDue(connection, batchWaiting: false);

        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'Old'").Should().Be(0L);
        Database.Count(path, "logs").Should().Be(1);
        deletedPerTransaction.Where(n => n > 0).Should().HaveCount(6).And.OnlyContain(n => n <= RetentionPolicy.ChunkRows);
        deletedPerTransaction.Sum().Should().Be(backlog);
    }

    [Test]
    public async Task WhileABatchOfTheConfiguredSizeWaitsATurnDeletesOneChunkAndGetsOutOfTheWritersWay()
    {
        using var folder = new TempFolder();
        var path = folder.File("waiting.db");
        const int backlog = 3 * RetentionPolicy.ChunkRows;
        const int batchSizeLimit = 10;
        await CreateTables(path);
        PrefillOldLogs(path, backlog);
        var options = new SqliteWorkerSinkOptions { DatabasePath = path, RetentionPeriod = TimeSpan.FromHours(1) };
        var location = DatabaseLocation.Resolve(path);
        var counters = new SinkCounters();
        var failures = new FailureReporter(counters, queueLimit: 1000, sender: "test");
        using var writer = new BatchWriter(options, location, counters, failures);
        // Given all the time it wants, a turn deletes the whole backlog.
        var retention = RetentionPolicy.Create(options, writer.Logs, writer.Metrics, location, failures, turnBudget: TimeSpan.FromMinutes(10));
        var housekeeping = new Housekeeping(writer, retention, onBatchWritten: null, counters, failures, batchSizeLimit);
        using var queue = writer.CreateQueue();
        var batch = new RowBatch();
        counters.TryEnter(int.MaxValue).Should().BeTrue();
        queue.Add(Some.LogEvent("New"));
        queue.Take(1, batch);
        writer.Write(batch).Should().NotBeNull("the writer's connection is open once it has written a batch");
        queue.Release(batch);

        for (var i = 0; i < batchSizeLimit; i++)
            counters.TryEnter(int.MaxValue).Should().BeTrue();
        housekeeping.NothingWaiting();
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'Old'").Should().Be(
            (long)backlog - RetentionPolicy.ChunkRows, "a full batch of the configured size is waiting, so the turn deletes one chunk only");

        counters.Discarded(1);
        housekeeping.NothingWaiting();
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'Old'").Should().Be(0L,
            "with less than a batch waiting, the turn deletes what it has time for");
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void ASizeLimitKeepsTheUsedPartOfTheFileUnderItWhileLoggingGoesOn()
    {
        using var folder = new TempFolder();
        var path = folder.File("capped.db");
        var padding = new string('x', 500);
        const int events = 20_000; // about 12 MB of rows, twelve times the limit

        using (var logger = new LoggerConfiguration()
                   .WriteTo.SqliteWorker(path, batchSizeLimit: 500, bufferingTimeLimit: TimeSpan.FromMilliseconds(50),
                       queueLimit: events, blockWhenFull: true, maxDatabaseSize: OneMegabyte)
                   .CreateLogger())
        {
            for (var i = 0; i < events; i++)
            {
                logger.Information("Event {Seq} {Padding}", i, padding);
                if (i % 100 == 0)
                    logger.Metric("progress", i);
            }

            Poll.Until(() => Database.CountOrMissing(path, $"SELECT COUNT(*) FROM logs WHERE json_extract(properties, '$.Seq') = {events - 1}") == 1 &&
                            Database.UsedBytes(path) <= OneMegabyte);
        }

        Database.UsedBytes(path).Should().BeLessThanOrEqualTo(OneMegabyte);
        new FileInfo(path).Length.Should().BeLessThan(3 * OneMegabyte, "freed pages are reused, so the file stops growing near the limit");
        Database.Scalar(path, "SELECT MIN(json_extract(properties, '$.Seq')) FROM logs").Should().NotBe(0L, "the oldest rows went first");
        Database.Scalar(path, "SELECT MAX(json_extract(properties, '$.Seq')) FROM logs").Should().Be((long)events - 1, "the newest rows stay");
        var logs = Database.Count(path, "logs");
        Database.Scalar(path, "SELECT MAX(json_extract(properties, '$.Seq')) - MIN(json_extract(properties, '$.Seq')) + 1 FROM logs")
            .Should().Be(logs, "what is left is the newest rows, without a gap");
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
    }

    // Dense rows every 2 ms beside sparse ones every second, both over the same 16 s: by row count the dense table
    // holds nearly all, so a chunk counted over both tables but taken from the sparse one empties it.
    [TestCase("logs", "metrics")]
    [TestCase("metrics", "logs")]
    public async Task UnderASizeLimitTheOldestRowsGoFirstWhicheverTableHoldsThem(string dense, string sparse)
    {
        using var folder = new TempFolder();
        var path = folder.File("mixed.db");
        await CreateTables(path, OneGigabyte);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Database.Query(path, "DELETE FROM logs");
        // Timestamps on distinct milliseconds (even for the dense rows, odd for the sparse), so that no two rows tie.
        Insert(path, dense, Enumerable.Range(1, 8000).Select(i => start.AddMilliseconds(2 * i)), paddingBytes: 500);
        Insert(path, sparse, Enumerable.Range(1, 16).Select(i => start.AddSeconds(i).AddMilliseconds(1)), paddingBytes: 0);
        var before = Rows(path);
        const long limit = 2 * OneMegabyte;
        Database.UsedBytes(path).Should().BeGreaterThan(2 * limit, "the file should be well over the limit");
        using var connection = Open(path);
        var policy = Policy(new SqliteWorkerSinkOptions { MaxDatabaseSize = limit }, turnBudget: TimeSpan.Zero);

        for (var turn = 0; turn < 1000 && policy.RunIfDue(connection, batchWaiting: false); turn++)
        {
        }

        Database.UsedBytes(path).Should().BeLessThanOrEqualTo(limit);
        var kept = Rows(path);
        var deleted = before.Except(kept).ToList();
        deleted.Should().NotBeEmpty();
        kept.Where(r => r.Table == sparse).Should().NotBeEmpty("the sparse table's newer rows are newer than the dense table's oldest");
        deleted.Max(r => r.Timestamp).Should().BeBefore(kept.Min(r => r.Timestamp),
            "every row deleted is older than every row kept, in whichever table");
    }

    [Category(Needs.Linux)]
    [TestCase(false)]
    [TestCase(true)]
    public async Task RetentionDeletesRowsButNeverReplacesOrCopiesTheFile(bool madeWithASizeLimit)
    {
        using var folder = new TempFolder();
        var path = folder.File("kept.db");
        await CreateTables(path, madeWithASizeLimit ? OneGigabyte : null);
        PrefillOldLogs(path, 20_000);
        var inode = Inode(path);
        var length = new FileInfo(path).Length;
        using (var sink = SinkFactory.Create(path, o =>
               {
                   o.RetentionPeriod = TimeSpan.FromHours(1);
                   o.MaxDatabaseSize = OneMegabyte;
               }))
        {
            await sink.EmitBatchAsync([Some.LogEvent("New")]);
            for (var turn = 0; turn < 100 && (Database.CountOrMissing(path, "SELECT COUNT(*) FROM logs WHERE message = 'Old'") > 0 ||
                                              FileBytes(path) > OneMegabyte); turn++)
                await sink.OnEmptyBatchAsync();

            Database.Count(path, "logs").Should().Be(2, "the old rows are deleted");
            Inode(path).Should().Be(inode, "the live file is the same file");
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).Should().BeSubsetOf(["kept.db", "kept.db-wal", "kept.db-shm"]);
        }

        Inode(path).Should().Be(inode);
        if (madeWithASizeLimit)
            new FileInfo(path).Length.Should().BeLessThan(length, "a file made with auto-vacuum shrinks in place");
        else
            new FileInfo(path).Length.Should().BeGreaterThanOrEqualTo(length, "a file made without auto-vacuum is never truncated or vacuumed");
    }

    [Category(Needs.Sqlite3Client)]
    [TestCase(false, "0")]
    [TestCase(true, "2")]
    public async Task ANewFileIsMadeWithIncrementalAutoVacuumWhenASizeLimitIsSet(bool sizeLimit, string autoVacuum)
    {
        using var folder = new TempFolder();
        var path = folder.File("new.db");

        await CreateTables(path, sizeLimit ? OneGigabyte : null);

        Sqlite3Client.Scalar(path, "PRAGMA auto_vacuum;").Should().Be(autoVacuum, "0 is none, 2 is incremental");
        Sqlite3Client.Scalar(path, "PRAGMA journal_mode;").Should().Be("wal", "auto-vacuum must be set before WAL, and both are");
    }

    // The same 512 KB whatever the page size, so that a chunk's pause and the WAL it writes stay as they were measured.
    [Category(Needs.Sqlite3Client)]
    [TestCase(4096, 128L)]
    [TestCase(16384, 32L)]
    public async Task AChunkOfSpaceGivenBackIsHalfAMegabyteOfPagesWhateverTheirSize(int pageSize, long chunkPages)
    {
        using var folder = new TempFolder();
        var path = folder.File("chunk.db");
        // As the sink makes a file under a size limit (SQLite's default 4 KB pages), or as a user may make one of their own.
        Sqlite3Client.Run(path, $"PRAGMA page_size = {pageSize}; PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL;");
        await CreateTables(path, OneGigabyte);
        PrefillOldLogs(path, 16_000, paddingBytes: 500);
        // Most rows deleted by someone else: what is left is far under the limit, and the free pages are far over it.
        Database.Query(path, "DELETE FROM logs WHERE id <= 15000; PRAGMA wal_checkpoint(TRUNCATE);");
        Sqlite3Client.Scalar(path, "PRAGMA page_size;").Should().Be(pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Sqlite3Client.Scalar(path, "PRAGMA auto_vacuum;").Should().Be("2");
        FileBytes(path).Should().BeGreaterThan(4 * OneMegabyte + RetentionPolicy.VacuumChunkBytes, "more than a chunk is beyond the limit");
        using var connection = Open(path);
        var freeBefore = (long)Database.Query(connection, "PRAGMA freelist_count").Single().Values.Single()!;
        var policy = Policy(new SqliteWorkerSinkOptions { MaxDatabaseSize = 4 * OneMegabyte }, turnBudget: TimeSpan.Zero);

        policy.RunIfDue(connection, batchWaiting: false).Should().BeTrue();

        var freeAfter = (long)Database.Query(connection, "PRAGMA freelist_count").Single().Values.Single()!;
        (freeBefore - freeAfter).Should().Be(chunkPages, "a turn with no time to spare gives back one chunk");
    }

    [Category(Needs.Sqlite3Client)]
    [Category(Needs.Linux)]
    [Test]
    public async Task AFileOverANewSizeLimitShrinksToItAndKeepsTheNewestRows()
    {
        using var folder = new TempFolder();
        var path = folder.File("shrinks.db");
        const int oldRows = 16_000;
        await CreateTables(path, OneGigabyte);
        PrefillOldLogs(path, oldRows, paddingBytes: 500);
        var grown = new FileInfo(path).Length;
        grown.Should().BeGreaterThan(8 * OneMegabyte, "the file should hold several megabytes");
        var limit = grown / 4 / 4096 * 4096;
        var inode = Inode(path);

        using (var sink = SinkFactory.Create(path, o => o.MaxDatabaseSize = limit))
        {
            await sink.EmitBatchAsync(Enumerable.Range(0, 100).Select(i => Some.LogEvent("New {Seq}", properties: [Some.Property("Seq", i)])).ToList());
            for (var turn = 0; turn < 1000 && FileBytes(path) > limit; turn++)
                await sink.OnEmptyBatchAsync();
            FileBytes(path).Should().BeLessThanOrEqualTo(limit, "the free pages beyond the limit are given back");
            // In WAL mode the main file shrinks at a checkpoint that copies the whole WAL back: with no batch to
            // write, only the turns that gave space back have asked for one.
            Poll.Until(() => new FileInfo(path).Length <= limit);
        }

        // Closed: the last checkpoint has copied the WAL into the main file, and cut it to its pages.
        new FileInfo(path).Length.Should().BeLessThanOrEqualTo(limit);
        Inode(path).Should().Be(inode, "the file shrinks in place");
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'New {Seq}'").Should().Be(100L, "the newest rows stay");
        var oldLeft = Database.Query(path,
            "SELECT COUNT(*) AS n, MIN(json_extract(properties, '$.Seq')) AS first, MAX(json_extract(properties, '$.Seq')) AS last FROM logs WHERE message = 'Old'").Single();
        ((long)oldLeft["n"]!).Should().BeGreaterThan(0, "the limit leaves room for some of the old rows");
        oldLeft["last"].Should().Be((long)oldRows, "the newest of the old rows stay");
        oldLeft["n"].Should().Be((long)oldLeft["last"]! - (long)oldLeft["first"]! + 1, "the oldest went first, without a gap");
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
    }

    [Test]
    public async Task UnderASizeLimitTheFreePagesBelowItAreKeptForTheNextRows()
    {
        using var folder = new TempFolder();
        var path = folder.File("steady.db");
        var padding = new string('x', 1000);
        var beforeTurns = new List<long>();
        var afterTurns = new List<long>();
        using var sink = SinkFactory.Create(path, o =>
        {
            o.MaxDatabaseSize = OneMegabyte;
            o.OnBatchWritten = _ => beforeTurns.Add(FileBytes(path));
        });

        // About 4 MB in batches of 100 KB: the limit is reached early, then rows are deleted and written in turn.
        for (var batch = 0; batch < 40; batch++)
        {
            await sink.EmitBatchAsync(Enumerable.Range(0, 100).Select(i => Some.LogEvent("Event {Seq} {Padding}",
                properties: [Some.Property("Seq", batch * 100 + i), Some.Property("Padding", padding)])).ToList());
            // Turns until what is over the limit is gone, however slow the machine: a turn gives nothing back while the
            // checkpointer's own thread is copying the WAL back, so a count of turns is no bound; Poll waits up to 30 s.
            if (FileBytes(path) > OneMegabyte)
            {
                Poll.Until(() =>
                {
                    sink.OnEmptyBatchAsync();
                    return FileBytes(path) <= OneMegabyte;
                });
            }
            afterTurns.Add(FileBytes(path));
        }

        beforeTurns.Should().Contain(b => b > OneMegabyte, "batches take the file over the limit now and then");
        afterTurns.SkipWhile(b => b < OneMegabyte).Should().NotBeEmpty().And.OnlyContain(b => b == OneMegabyte,
            "what goes over the limit is given back, and the free pages under it are kept for the next rows");
        Database.Scalar(path, "PRAGMA freelist_count").Should().BeOfType<long>().Which.Should().BeGreaterThan(0);
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public async Task GivingSpaceBackWritesOverTheWalInsteadOfGrowingIt()
    {
        using var folder = new TempFolder();
        var path = folder.File("wal.db");
        await CreateTables(path, OneGigabyte);
        PrefillOldLogs(path, 16_000, paddingBytes: 500);
        // The oldest rows deleted by someone else: the sink has no rows to delete, only free pages to give back, and
        // the newest rows, about 2.5 MB at the end of the file, to move into the free pages at its start.
        Database.Query(path, "DELETE FROM logs WHERE id <= 12000; PRAGMA wal_checkpoint(TRUNCATE);");
        var limit = 4 * OneMegabyte;
        Database.UsedBytes(path).Should().BeLessThan(limit * 9 / 10);
        var largestWal = 0L;

        using (var sink = SinkFactory.Create(path, o => o.MaxDatabaseSize = limit))
        {
            // The batch opens the file and runs the first turn, empty batches run the next ones; the WAL file keeps
            // the size it grew to.
            await sink.EmitBatchAsync([Some.LogEvent("New")]);
            largestWal = new FileInfo(path + "-wal").Length;
            for (var turn = 0; turn < 1000 && FileBytes(path) > limit; turn++)
            {
                await sink.OnEmptyBatchAsync();
                largestWal = Math.Max(largestWal, new FileInfo(path + "-wal").Length);
            }

            FileBytes(path).Should().BeLessThanOrEqualTo(limit);
        }

        // A turn runs chunks for up to 50 ms; each first waits until the WAL holds nothing more than the main file.
        largestWal.Should().BeLessThan(OneMegabyte, "the WAL is written over from its start, a chunk at a time, instead of growing");
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public async Task AFileWithoutAutoVacuumHasItsOldestRowsDeletedKeepsItsSizeAndSaysSoOnce()
    {
        using var folder = new TempFolder();
        var path = folder.File("earlier.db");
        var failures = new FailureCollector();
        // As a file from an earlier version of the sink, or one made without a size limit.
        await CreateTables(path);
        PrefillOldLogs(path, 16_000, paddingBytes: 500);
        var grown = new FileInfo(path).Length;
        var limit = grown / 4 / 4096 * 4096;
        var selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(selfLog));
        try
        {
            using var sink = SinkFactory.Create(path, o => o.MaxDatabaseSize = limit, failures);
            for (var batch = 0; batch < 3; batch++)
            {
                await sink.EmitBatchAsync([Some.LogEvent("New")]);
                for (var turn = 0; turn < 100 && Database.UsedBytes(path) > limit * 0.9; turn++)
                    await sink.OnEmptyBatchAsync();
            }
        }
        finally
        {
            SelfLog.Disable();
        }

        Database.UsedBytes(path).Should().BeLessThanOrEqualTo(limit, "the oldest rows are deleted as in any file");
        Database.Count(path, "logs").Should().BeLessThan(16_000);
        new FileInfo(path).Length.Should().BeGreaterThanOrEqualTo(grown, "without auto-vacuum the file keeps its size");
        Sqlite3Client.Scalar(path, "PRAGMA auto_vacuum;").Should().Be("0", "the sink never changes an existing file's settings");
        var notes = selfLog.ToString().Split('\n').Where(l => l.Contains("cannot give space back to the disk")).ToList();
        notes.Should().ContainSingle("it is said once, not at every turn").Which.Should().Contain($"'{path}'")
            .And.Contain("PRAGMA auto_vacuum = INCREMENTAL; VACUUM;").And.Contain("stop the application");
        failures.Failures.Should().BeEmpty("a file that cannot shrink is not a failure");
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public async Task ARetentionFailureIsReportedAndTheBatchesAreWrittenAllTheSame()
    {
        using var folder = new TempFolder();
        var path = folder.File("refuses-deletes.db");
        var failures = new FailureCollector();
        await CreateTables(path);
        // A trigger of the user's that refuses deletes: retention fails, writing must not.
        Sqlite3Client.Run(path, "CREATE TRIGGER keep_logs BEFORE DELETE ON logs BEGIN SELECT RAISE(ABORT, 'these logs are kept'); END;");

        using var sink = SinkFactory.Create(path, o => o.RetentionPeriod = TimeSpan.FromHours(1), failures);

        var writing = async () =>
        {
            await sink.EmitBatchAsync([Some.LogEvent("Old", timestamp: TwoDaysAgo)]);
            await sink.EmitBatchAsync([Some.LogEvent("New")]);
            await sink.OnEmptyBatchAsync();
        };

        await writing.Should().NotThrowAsync();
        Database.Count(path, "logs").Should().Be(3);
        var failure = failures.Failures.Should().ContainSingle("a failed turn waits before the next try").Subject;
        failure.Kind.Should().Be(LoggingFailureKind.Temporary);
        failure.Text.Should().Contain($"deleting old rows from '{path}' failed").And.Contain("these logs are kept");
        failure.Events.Should().BeEmpty();
    }

    [TestCase(0)]
    [TestCase(-60)]
    public void ANonPositiveRetentionPeriodIsRefused(int seconds)
    {
        var configuring = Configure(wt => wt.SqliteWorker("logs.db", retentionPeriod: TimeSpan.FromSeconds(seconds)));

        configuring.Should().Throw<ArgumentException>().WithMessage("retentionPeriod is *; it must be positive*7.00:00:00*")
            .Which.ParamName.Should().Be("retentionPeriod");
    }

    [TestCase(0L)]
    [TestCase(-1L)]
    [TestCase(OneMegabyte - 1)]
    public void ASizeLimitBelowOneMegabyteIsRefused(long bytes)
    {
        var configuring = Configure(wt => wt.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = "logs.db", MaxDatabaseSize = bytes }));

        configuring.Should().Throw<ArgumentException>().WithMessage($"maxDatabaseSize is {bytes} bytes; it must be at least 1048576 (1 MB)*")
            .Which.ParamName.Should().Be("maxDatabaseSize");
    }

    [Test]
    public void TheSmallestLimitsAreAccepted() =>
        Configure(wt => wt.SqliteWorker(":memory:", retentionPeriod: TimeSpan.FromTicks(1), maxDatabaseSize: OneMegabyte))
            .Should().NotThrow();

    static Action Configure(Func<Configuration.LoggerSinkConfiguration, LoggerConfiguration> writeTo) =>
        () => writeTo(new LoggerConfiguration().WriteTo).CreateLogger().Dispose();

    /// <summary>A metric event as <c>logger.Metric</c> makes it, but stamped with another time.</summary>
    static LogEvent Metric(string name, double value, DateTimeOffset timestamp)
    {
        var metric = MetricEvent.Create(name, value, unit: null);
        return new LogEvent(timestamp, metric.Level, null, metric.MessageTemplate,
            metric.Properties.Select(p => new LogEventProperty(p.Key, p.Value)));
    }

    static RetentionPolicy Policy(SqliteWorkerSinkOptions options, TimeSpan turnBudget) =>
        RetentionPolicy.Create(options, SinkSchema.Logs("logs", []), SinkSchema.Metrics("metrics"), DatabaseLocation.Resolve(":memory:"),
            new FailureReporter(new SinkCounters(), 1000, sender: "test"), turnBudget)!;

    /// <summary>
    /// Old rows written straight into the table: far quicker than through a logger. Each has its number (1 and up) as
    /// the property Seq, and <paramref name="paddingBytes"/> more bytes of properties.
    /// </summary>
    static void PrefillOldLogs(string path, int count, int paddingBytes = 0)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count) " +
            "INSERT INTO logs (timestamp, level, message, message_template, properties) " +
            "SELECT strftime('%Y-%m-%d %H:%M:%f0000', 'now', '-2 days'), 'Information', 'Old', 'Old', " +
            "json_object('Seq', i, 'Padding', hex(zeroblob(@padding / 2))) FROM n";
        command.Parameters.AddWithValue("@count", count);
        command.Parameters.AddWithValue("@padding", paddingBytes);
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        command.ExecuteNonQuery();
    }

    /// <summary>Every row of both tables, as its table, id and timestamp.</summary>
    static List<(string Table, long Id, DateTime Timestamp)> Rows(string path) =>
        Database.Query(path, "SELECT 'logs' AS tbl, id, timestamp FROM logs UNION ALL SELECT 'metrics', id, timestamp FROM metrics")
            .Select(r => ((string)r["tbl"]!, (long)r["id"]!,
                DateTime.ParseExact((string)r["timestamp"]!, "yyyy-MM-dd HH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

    /// <summary>The size of the database as SQLite sees it, WAL included: its pages times the page size.</summary>
    static long FileBytes(string path) =>
        (long)Database.Scalar(path, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")!;

    static SQLiteConnection Open(string path)
    {
        var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        return connection;
    }

    static string Inode(string path)
    {
        var start = new ProcessStartInfo(Needs.LinuxProgram("stat", "coreutils"))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, ArgumentList = { "-c", "%i", path },
        };
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var inode = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, $"stat should read the inode of {path}: {error.Result}");
        inode.Should().MatchRegex("^[0-9]+$", "stat -c %i prints the inode number alone");
        return inode;
    }
}
