using System.Data.SQLite;
using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>retentionPeriod and maxDatabaseSize: what they delete, how much at a time, and what they leave alone.</summary>
public class RetentionTests
{
    const long OneMegabyte = 1024 * 1024;
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

        policy.RunIfDue(connection, eventsWaiting: 0);
        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'Old'").Should().Be(
            (long)backlog - RetentionPolicy.ChunkRows, "a turn with no time to spare deletes one chunk and leaves the rest for later turns");

        for (var turn = 0; turn < 10; turn++)
            policy.RunIfDue(connection, eventsWaiting: 0);

        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message_template = 'Old'").Should().Be(0L);
        Database.Count(path, "logs").Should().Be(1);
        deletedPerTransaction.Where(n => n > 0).Should().HaveCount(6).And.OnlyContain(n => n <= RetentionPolicy.ChunkRows);
        deletedPerTransaction.Sum().Should().Be(backlog);
    }

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

    [Test]
    public async Task RetentionDeletesRowsButNeverReplacesShrinksOrCopiesTheFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("kept.db");
        await CreateTables(path);
        PrefillOldLogs(path, 20_000);
        var inode = Inode(path);
        var length = new FileInfo(path).Length;
        using var sink = SinkFactory.Create(path, o =>
        {
            o.RetentionPeriod = TimeSpan.FromHours(1);
            o.MaxDatabaseSize = OneMegabyte;
        });

        await sink.EmitBatchAsync([Some.LogEvent("New")]);
        for (var turn = 0; turn < 100 && Database.CountOrMissing(path, "SELECT COUNT(*) FROM logs WHERE message = 'Old'") > 0; turn++)
            await sink.OnEmptyBatchAsync();

        Database.Count(path, "logs").Should().Be(2, "the old rows are deleted");
        Inode(path).Should().Be(inode, "the live file is the same file");
        new FileInfo(path).Length.Should().BeGreaterThanOrEqualTo(length, "the file is not truncated or vacuumed");
        Directory.GetFiles(folder.Path).Select(Path.GetFileName).Should().BeSubsetOf(["kept.db", "kept.db-wal", "kept.db-shm"]);
    }

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
        RetentionPolicy.Create(options, SinkSchema.Logs("logs", []), SinkSchema.Metrics("metrics"), "the test database",
            new FailureReporter(new SinkCounters(), 1000), "test", turnBudget)!;

    /// <summary>The sink's tables, with one row, made by a sink that is then closed.</summary>
    static async Task CreateTables(string path)
    {
        using var sink = SinkFactory.Create(path);
        await sink.EmitBatchAsync([Some.LogEvent("Creates the tables")]);
    }

    /// <summary>Old rows written straight into the table: far quicker than through a logger.</summary>
    static void PrefillOldLogs(string path, int count)
    {
        using var connection = Open(path);
        using var command = connection.CreateCommand();
        command.CommandText =
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count) " +
            "INSERT INTO logs (timestamp, level, message, message_template, properties) " +
            "SELECT strftime('%Y-%m-%d %H:%M:%f0000', 'now', '-2 days'), 'Information', 'Old', 'Old', '{}' FROM n";
        command.Parameters.AddWithValue("@count", count);
        command.ExecuteNonQuery();
    }

    static SQLiteConnection Open(string path)
    {
        var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path, FailIfMissing = true }.ConnectionString);
        connection.Open();
        return connection;
    }

    static string Inode(string path)
    {
        if (!OperatingSystem.IsLinux())
            Assert.Ignore("This test reads the file's inode with GNU stat, which needs Linux.");

        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false, ArgumentList = { "-c", "%i", path } };
        using var process = Process.Start(start)!;
        var inode = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return inode;
    }
}
