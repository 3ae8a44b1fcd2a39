using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>The calls the sqlite-logs tool needed: level counts over time, metric names, file sizes and pruning.</summary>
public sealed class MaintenanceTests
{
    static long L(string text) => long.Parse(text, CultureInfo.InvariantCulture);

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void LevelCountsPerBucketMatchSqlite3([Values] MetricBucketSize size)
    {
        var path = SampleDatabase.Path;
        using var db = SqliteWorkerDatabase.Open(path);
        var buckets = db.CountByLevelPerBucket(null, size);

        var length = size == MetricBucketSize.Minute ? 16 : 13;
        var expected = Sqlite3Client.Run(path, $"SELECT substr(timestamp, 1, {length}) AS b, level, count(*) FROM logs GROUP BY b, level;")
            .Select(line => line.Split('|'))
            .Select(r => (Bucket: r[0], Level: Enum.Parse<LogEventLevel>(r[1]), Count: L(r[2])))
            .OrderBy(r => r.Bucket, StringComparer.Ordinal).ThenBy(r => r.Level)
            .ToArray();
        buckets.Select(b => (b.Start.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)[..length], b.Level, b.Count))
            .Should().Equal(expected);
        buckets.Sum(b => b.Count).Should().Be(SampleDatabase.LogCount);
        buckets.Should().OnlyContain(b => b.Start.Second == 0 && (size == MetricBucketSize.Minute || b.Start.Minute == 0));
    }

    [Test]
    public void LevelCountsPerBucketHonourTheFilter()
    {
        using var db = SqliteWorkerDatabase.Open(SampleDatabase.Path);
        var filter = new LogFilter { MinimumLevel = LogEventLevel.Error };
        var buckets = db.CountByLevelPerBucket(filter, MetricBucketSize.Hour);

        buckets.Should().OnlyContain(b => b.Level >= LogEventLevel.Error);
        buckets.Sum(b => b.Count).Should().Be(db.CountByLevel(filter).Sum(g => g.Count));
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void MetricNameCountsMatchSqlite3()
    {
        var path = SampleDatabase.Path;
        using var db = SqliteWorkerDatabase.Open(path);
        var names = db.CountByMetricName();

        var expected = Sqlite3Client.Run(path, "SELECT metric_name AS k, count(*) AS n FROM metrics GROUP BY k ORDER BY n DESC, k;");
        names.Select(g => $"{g.Key}|{g.Count}").Should().Equal(expected);
        names.Sum(g => g.Percentage).Should().BeApproximately(100, 1e-9);
        db.CountByMetricName(new MetricFilter { NamePrefix = "operation_duration_" }).Should().HaveCount(SampleDatabase.Operations.Length);
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void FileSizeReportsTheDatabaseAndItsWal()
    {
        using var folder = new TempFolder();
        var path = folder.File("size.db");
        using var logger = SinkDatabase.CreateLogger(path);
        for (var i = 0; i < 500; i++)
            logger.Information("Event {N} with some text to take up room", i);
        logger.Dispose();

        using var db = SqliteWorkerDatabase.Open(path);
        var size = db.GetFileSize();

        size.FileBytes.Should().Be(new FileInfo(path).Length).And.BeGreaterThan(0);
        var wal = new FileInfo(path + "-wal");
        size.WalBytes.Should().Be(wal.Exists ? wal.Length : 0);
        size.FreeBytes.Should().Be(L(Sqlite3Client.Scalar(path, "SELECT freelist_count * page_size FROM pragma_freelist_count(), pragma_page_size();")));
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void DeleteOlderThanRemovesExactlyTheOlderRowsOfBothTables()
    {
        using var folder = new TempFolder();
        var path = folder.File("prune.db");
        var now = DateTimeOffset.UtcNow;
        var cutoff = now.AddDays(-30);
        SinkDatabase.Write(path, logger =>
        {
            // 12,000 old rows take more than one delete transaction; one old row comes after newer ones, by id.
            for (var i = 0; i < 12_000; i++)
                logger.Write(TestEvent.At(cutoff.AddMinutes(-1 - i), LogEventLevel.Information, "Old {N}", properties: ("N", i)));
            for (var i = 0; i < 50; i++)
                logger.Write(TestEvent.At(cutoff.AddMinutes(i), LogEventLevel.Warning, "Recent {N}", properties: ("N", i)));
            logger.Write(TestEvent.At(cutoff.AddTicks(-1), LogEventLevel.Error, "Late but old"));
            logger.Metric("kept", 1);
        });
        Sqlite3Client.Run(path, $"INSERT INTO metrics (timestamp, metric_name, value) VALUES ({Sqlite3Client.Literal(cutoff.AddDays(-1))}, 'old', 2);");

        using var db = SqliteWorkerDatabase.Open(path);
        var result = db.DeleteOlderThan(cutoff);

        result.Should().Be(new PruneResult { LogsDeleted = 12_001, MetricsDeleted = 1 });
        Sqlite3Client.Scalar(path, "SELECT count(*) FROM logs;").Should().Be("50");
        Sqlite3Client.Scalar(path, $"SELECT count(*) FROM logs WHERE timestamp < {Sqlite3Client.Literal(cutoff)};").Should().Be("0");
        Sqlite3Client.Scalar(path, "SELECT group_concat(metric_name) FROM metrics;").Should().Be("kept");
        db.GetStatistics().LogCount.Should().Be(50, "the read-only connection sees the deletion");
        db.DeleteOlderThan(cutoff).Should().Be(new PruneResult { LogsDeleted = 0, MetricsDeleted = 0 });
        db.GetFileSize().FreeBytes.Should().BeGreaterThan(0, "deleted rows leave free pages");
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public async Task DeleteOlderThanWorksWhileTheSinkWrites()
    {
        using var folder = new TempFolder();
        var path = folder.File("live-prune.db");
        var old = DateTimeOffset.UtcNow.AddDays(-10);
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 0; i < 2000; i++)
                logger.Write(TestEvent.At(old.AddSeconds(i), LogEventLevel.Information, "Old {N}", properties: ("N", i)));
        });

        using var logger = SinkDatabase.CreateLogger(path);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                logger.Information("Live {N}", n++);
                await Task.Delay(1);
            }

            return n;
        });
        using var db = SqliteWorkerDatabase.Open(path);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (db.GetStatistics().LogCount < 2050)
            await Task.Delay(20, timeout.Token);

        var result = db.DeleteOlderThan(DateTimeOffset.UtcNow.AddDays(-1));
        await stop.CancelAsync();
        var live = await writer;
        await logger.DisposeAsync();

        result.LogsDeleted.Should().Be(2000);
        Sqlite3Client.Scalar(path, "SELECT count(*) FROM logs;").Should().Be(live.ToString(CultureInfo.InvariantCulture),
            "every live event was written, none was lost to the prune");
    }
}
