using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>Reading, tailing and backing up a file while a real logger keeps writing to it (WAL).</summary>
[Category(Needs.Sqlite3Client)]
public sealed class LiveDatabaseTests
{
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Test]
    public async Task ReportsReadWhileTheSinkWritesAndAgreeWithSqlite3OnSettledRows()
    {
        using var folder = new TempFolder();
        var path = folder.File("live.db");
        using var logger = SinkDatabase.CreateLogger(path);
        var settledUntil = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < 200; i++)
            logger.Write(TestEvent.At(settledUntil.AddMinutes(-i), i % 4 == 0 ? LogEventLevel.Error : LogEventLevel.Information, "Settled {N}",
                properties: ("N", i)));
        await WaitForRows(path, 200);

        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                logger.Information("Live event {N}", n++);
                logger.Metric("live_metric", n);
                await Task.Delay(1);
            }

            return n;
        });

        using var db = SqliteWorkerDatabase.Open(path);
        var settled = new LogFilter { Until = settledUntil.AddTicks(1) };
        long lastCount = 0;
        for (var round = 0; round < 20; round++)
        {
            var statistics = db.GetStatistics();
            statistics.LogCount.Should().BeGreaterThanOrEqualTo(lastCount, "a reader sees whole committed batches, never fewer rows");
            lastCount = statistics.LogCount;

            // Rows that are no longer changing give the same answers as sqlite3, while new rows keep arriving.
            db.CountByLevel(settled).Select(g => $"{g.Key}|{g.Count}").Should().Equal(Sqlite3Client.Run(path,
                $"SELECT level, count(*) AS n FROM logs WHERE timestamp < {Sqlite3Client.Literal(settledUntil.AddTicks(1))} GROUP BY level ORDER BY n DESC, level;"));
            db.GetLogs(settled with { Level = LogEventLevel.Error }, 10).Select(r => r.Id.ToString(CultureInfo.InvariantCulture)).Should().Equal(
                Sqlite3Client.Run(path, "SELECT id FROM logs WHERE level = 'Error' AND timestamp < " +
                                        $"{Sqlite3Client.Literal(settledUntil.AddTicks(1))} ORDER BY timestamp DESC, id DESC LIMIT 10;"));
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        var written = await writer;
        await logger.DisposeAsync();

        lastCount.Should().BeGreaterThan(200, "the sink's batches were visible while it wrote");
        db.GetStatistics().LogCount.Should().Be(200 + written);
        db.GetStatistics().MetricCount.Should().Be(written);
    }

    [Test]
    public async Task ATailSeesRowsWrittenAfterItStarted()
    {
        using var folder = new TempFolder();
        var path = folder.File("tail.db");
        using var logger = SinkDatabase.CreateLogger(path);
        logger.Information("Before the tail");
        await WaitForRows(path, 1);

        using var db = SqliteWorkerDatabase.Open(path);
        using var timeout = new CancellationTokenSource(Patience);
        var tail = db.TailLogsAsync(filter: new LogFilter { MinimumLevel = LogEventLevel.Information },
            pollInterval: TimeSpan.FromMilliseconds(20), cancellationToken: timeout.Token);

        var received = new List<LogRecord>();
        var reading = Task.Run(async () =>
        {
            await foreach (var record in tail)
            {
                received.Add(record);
                if (received.Count == 3)
                    break;
            }
        });

        logger.Debug("Filtered out");
        for (var i = 1; i <= 3; i++)
            logger.Information("After the tail {N}", i);
        await reading.WaitAsync(Patience);

        received.Select(r => r.Message).Should().Equal("After the tail 1", "After the tail 2", "After the tail 3");
        received.Select(r => r.Id).Should().BeInAscendingOrder();
    }

    [Test]
    public async Task ATailFromAnIdStartsWithTheRowsAfterItAndEndsQuietlyWhenCancelled()
    {
        using var folder = new TempFolder();
        var path = folder.File("tail.db");
        SinkDatabase.Write(path, logger =>
        {
            for (var i = 1; i <= 5; i++)
                logger.Metric("queue_length", i);
        });

        using var db = SqliteWorkerDatabase.Open(path);
        using var cancel = new CancellationTokenSource();
        var values = new List<double>();
        await foreach (var metric in db.TailMetricsAsync(afterId: 2, pollInterval: TimeSpan.FromMilliseconds(10), cancellationToken: cancel.Token))
        {
            values.Add(metric.Value);
            if (values.Count == 3)
                await cancel.CancelAsync();
        }

        values.Should().Equal(3, 4, 5);
    }

    [Test]
    public async Task AFilteredTailReadsEveryMatchingRowAmongManyOthersAndThenOnlyNewOnes()
    {
        using var folder = new TempFolder();
        var path = folder.File("tail.db");
        using var logger = SinkDatabase.CreateLogger(path);
        // More matching rows than one read returns, each between rows the filter passes over.
        for (var i = 1; i <= 1200; i++)
        {
            logger.Debug("Passed over {N}", i);
            logger.Warning("Matching {N}", i);
        }

        await WaitForRows(path, 2400);

        using var db = SqliteWorkerDatabase.Open(path);
        using var timeout = new CancellationTokenSource(Patience);
        var received = new List<string>();
        await foreach (var record in db.TailLogsAsync(0, new LogFilter { MinimumLevel = LogEventLevel.Warning }, TimeSpan.FromMilliseconds(20), timeout.Token))
        {
            received.Add(record.Message);
            if (received.Count == 1200)
                logger.Warning("Written later");
            if (received.Count == 1201)
                break;
        }

        received.Should().Equal(Enumerable.Range(1, 1200).Select(i => $"Matching {i}").Append("Written later"));
    }

    [Test]
    public async Task ABackupTakenWhileTheSinkWritesIsAConsistentDatabase()
    {
        using var folder = new TempFolder();
        var path = folder.File("live.db");
        using var logger = SinkDatabase.CreateLogger(path);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                logger.Warning("Writing while the backup runs");
                await Task.Delay(1);
            }
        });
        await WaitForRows(path, 50);

        using var db = SqliteWorkerDatabase.Open(path);
        var before = db.GetStatistics().LogCount;
        var backup = folder.File("backups/copy.db");
        db.Backup(backup);
        await stop.CancelAsync();
        await writer;

        Sqlite3Client.Scalar(backup, "PRAGMA integrity_check;").Should().Be("ok");
        using var copy = SqliteWorkerDatabase.Open(backup);
        copy.GetStatistics().LogCount.Should().BeGreaterThanOrEqualTo(before);
        copy.GetLogs(limit: 1).Single().Message.Should().Be("Writing while the backup runs");
    }

    static async Task WaitForRows(string path, long count)
    {
        using var timeout = new CancellationTokenSource(Patience);
        // The sink makes its tables with its first batch; until then the file may be missing or empty.
        while (!File.Exists(path) ||
               Sqlite3Client.Scalar(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'logs';") == "0" ||
               long.Parse(Sqlite3Client.Scalar(path, "SELECT count(*) FROM logs;"), CultureInfo.InvariantCulture) < count)
            await Task.Delay(20, timeout.Token);
    }
}
