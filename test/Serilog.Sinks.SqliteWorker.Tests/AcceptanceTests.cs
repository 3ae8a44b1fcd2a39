using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>What the sink issue asks to be shown: many threads, every event exactly once, and the documented queries right.</summary>
public class AcceptanceTests
{
    const int Threads = 8;
    const int EventsPerThread = 5_000;
    const int MetricEvery = 5;

    [Test]
    public void EightThreadsLoggingAtOnceLeaveEveryEventInTheFileExactlyOnce()
    {
        using var folder = new TempFolder();
        var path = folder.File("concurrent.db");
        var threadIds = new int[Threads];

        using (var logger = new LoggerConfiguration()
                   .Enrich.WithThreadId()
                   .WriteTo.SqliteWorker(path, batchSizeLimit: 500, blockWhenFull: true, queueLimit: 2_000)
                   .CreateLogger())
        {
            var threads = Enumerable.Range(0, Threads).Select(worker => new Thread(() =>
            {
                threadIds[worker] = Environment.CurrentManagedThreadId;
                var log = logger.ForContext("Worker", worker);
                for (var seq = 0; seq < EventsPerThread; seq++)
                {
                    log.Information("Worker {Worker} event {Seq}", worker, seq);
                    if (seq % MetricEvery == 0)
                        log.ForContext("Seq", seq).Metric("work_item", seq, "items");
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
        }

        Database.Count(path, "logs").Should().Be(Threads * EventsPerThread);
        Database.Scalar(path, "SELECT COUNT(DISTINCT json_extract(properties, '$.Worker') || ':' || json_extract(properties, '$.Seq')) FROM logs")
            .Should().Be((long)Threads * EventsPerThread);
        Database.Query(path, "SELECT json_extract(properties, '$.Worker') AS worker, COUNT(*) AS n, MIN(json_extract(properties, '$.Seq')) AS first, " +
                             "MAX(json_extract(properties, '$.Seq')) AS last FROM logs GROUP BY worker")
            .Should().HaveCount(Threads).And.OnlyContain(r => (long)r["n"]! == EventsPerThread && (long)r["first"]! == 0 && (long)r["last"]! == EventsPerThread - 1);
        Database.Count(path, "metrics").Should().Be(Threads * EventsPerThread / MetricEvery);
        Database.Scalar(path, "SELECT COUNT(DISTINCT json_extract(properties, '$.Worker') || ':' || json_extract(properties, '$.Seq')) FROM metrics")
            .Should().Be((long)Threads * EventsPerThread / MetricEvery);

        // An outside reader agrees, and the file is sound.
        Sqlite3Client.Run(path, "PRAGMA integrity_check;").Should().Equal("ok");
        Sqlite3Client.Run(path, "PRAGMA journal_mode;").Should().Equal("wal");
        Sqlite3Client.Run(path, "PRAGMA encoding;").Should().Equal("UTF-8");
        Sqlite3Client.Run(path, DocumentedQueries.Get("Logs by thread"))
            .Should().BeEquivalentTo(threadIds.Select(id => $"{id}|{EventsPerThread}"));
    }

    [Test]
    public void TheReadmesTimeQueriesAreRightForEventsStampedWithAnyOffset()
    {
        using var folder = new TempFolder();
        var path = folder.File("times.db");
        var now = DateTimeOffset.UtcNow;
        DateTimeOffset Ago(double minutes, string offset) =>
            now.AddMinutes(-minutes).ToOffset(TimeSpan.Parse(offset.TrimStart('+'), CultureInfo.InvariantCulture));

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            logger.Write(Some.LogEvent("Recent error in India", LogEventLevel.Error, Ago(10, "+05:30"), properties: [Some.Property("SourceContext", "api")]));
            logger.Write(Some.LogEvent("Older error in California", LogEventLevel.Error, Ago(50, "-08:00"), properties: [Some.Property("SourceContext", "db")]));
            // Local wall-clock text for this one reads later than now; stored as UTC, it is correctly out of the last hour.
            logger.Write(Some.LogEvent("Error 70 minutes ago in Kiribati", LogEventLevel.Error, Ago(70, "+14:00"), properties: []));
            logger.Write(Some.LogEvent("Error three hours ago", LogEventLevel.Error, Ago(180, "+00:00"), properties: []));
            logger.Write(Some.LogEvent("Recent warning", LogEventLevel.Warning, Ago(5, "+01:00"), properties: []));

            logger.Write(Metric("request_duration", 10, Ago(10, "+09:00")));
            logger.Write(Metric("request_duration", 30, Ago(40, "-03:00")));
            logger.Write(Metric("request_duration", 1000, Ago(61, "+13:00")));
            logger.Write(Metric("request_duration", 2000, Ago(300, "+00:00")));
            logger.Write(Metric("other_metric", 5000, Ago(1, "+00:00")));
        }

        Sqlite3Client.Run(path, DocumentedQueries.Get("Errors in the last hour")).Select(row => row[(row.IndexOf('|') + 1)..])
            .Should().Equal("api|Recent error in India", "db|Older error in California");
        Sqlite3Client.Run(path, DocumentedQueries.Get("Average response time in the last hour")).Should().Equal("20.0");
    }

    [Test]
    public void TheReadmesSlowestOperationsQueryRanksOperationsByTheirWorstDuration()
    {
        using var folder = new TempFolder();
        var path = folder.File("operations.db");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            for (var op = 1; op <= 12; op++)
            {
                logger.Metric($"operation_duration_op{op:00}", op * 10, "ms");
                logger.Metric($"operation_duration_op{op:00}", op, "ms");
            }

            // Not operations: the underscores in the pattern are literal, not wildcards.
            logger.Metric("operationXdurationXsneaky", 99_999, "ms");
            logger.Metric("response_time", 88_888, "ms");
        }

        Sqlite3Client.Run(path, DocumentedQueries.Get("Top 10 slowest operations"))
            .Should().Equal(Enumerable.Range(3, 10).Reverse().Select(op => $"operation_duration_op{op:00}|{op * 10}.0"));
    }

    static LogEvent Metric(string name, double value, DateTimeOffset timestamp)
    {
        var metric = MetricEvent.Create(name, value, "ms");
        return new LogEvent(timestamp, metric.Level, null, metric.MessageTemplate,
            metric.Properties.Select(p => new LogEventProperty(p.Key, p.Value)));
    }
}
