using System.Data.SQLite;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class BatchWriterTests
{
    [Test]
    public async Task WhenBatchIsEmittedRowsAreWrittenInOrder()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var sink = SinkFactory.Create(path))
        {
            await sink.EmitBatchAsync(Enumerable.Range(0, 500).Select(i => Some.LogEvent($"Event {i}", properties: [])).ToList());
            await sink.EmitBatchAsync([Some.LogEvent("Last", properties: [])]);
        }

        var messages = Database.Query(path, "SELECT message FROM logs ORDER BY id").Select(r => (string)r["message"]!).ToList();
        messages.Should().Equal(Enumerable.Range(0, 500).Select(i => $"Event {i}").Append("Last"));
    }

    [Test]
    public async Task RowsOfEverySizeAndScriptInOneBatchAreStoredAsTheExactText()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        // Small rows around rows whose UTF-8 outgrows the writer's buffer once (80 KB) and far beyond what it keeps
        // (2 MB), sharing statements with them; characters of one to four bytes; and text that is empty, not missing.
        var messages = Enumerable.Range(0, 100).Select(i => i switch
        {
            10 => new string('é', 40_000),
            50 => string.Concat(Enumerable.Repeat("日本🚀", 200_000)),
            70 => "",
            _ => $"Event {i}: ünïcødé, 日本語, 🚀",
        }).ToList();

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync(messages.Select(m => Some.LogEvent(m, properties: [])).ToList());

        var rows = Database.Query(path, "SELECT message, message_template, typeof(message) AS type FROM logs ORDER BY id");
        rows.Select(r => (string)r["message"]!).Should().Equal(messages);
        rows.Select(r => (string)r["message_template"]!).Should().Equal(messages);
        rows.Should().OnlyContain(r => (string)r["type"]! == "text");
    }

    [Test]
    public async Task ARowTheDatabaseRefusesIsDroppedAndReportedAloneAndTheRestOfItsBatchIsWrittenOnce()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var batch = Enumerable.Range(0, 10).Select(i => Some.LogEvent($"Event {i}", properties: [])).ToList();
        var failures = new FailureCollector();

        using var sink = SinkFactory.Create(path, listener: failures);
        await sink.EmitBatchAsync([Some.LogEvent("Creates the schema", properties: [])]);
        Execute(path, "CREATE TRIGGER refuse_event_7 BEFORE INSERT ON logs WHEN NEW.message = 'Event 7' BEGIN SELECT RAISE(ABORT, 'refused'); END");

        var writing = () => sink.EmitBatchAsync(batch);
        await writing.Should().NotThrowAsync("one bad row must not fail, and so retry, its whole batch");

        Database.Query(path, "SELECT message, COUNT(*) AS n FROM logs WHERE message LIKE 'Event %' GROUP BY message")
            .Should().HaveCount(9).And.OnlyContain(r => (long)r["n"]! == 1 && (string)r["message"]! != "Event 7");
        var report = failures.Failures.Should().ContainSingle().Subject;
        report.Kind.Should().Be(Serilog.Core.LoggingFailureKind.Permanent);
        // The queue keeps rows, not events: the reported event is rebuilt from its row, with the event's own template and time.
        var reported = report.Events.Should().ContainSingle().Subject;
        reported.MessageTemplate.Should().BeSameAs(batch[7].MessageTemplate);
        reported.Timestamp.Should().Be(batch[7].Timestamp);
        report.Text.Should().Contain("Event 7").And.Contain($"'{path}'").And.Contain("refused");
    }

    // Rows go through statements of 32, 16, ... 1 rows; these counts land on and around every boundary.
    [TestCase(1)]
    [TestCase(31)]
    [TestCase(32)]
    [TestCase(33)]
    [TestCase(95)]
    [TestCase(1000)]
    public async Task EveryRowOfABatchOfAnySizeIsWrittenOnceInOrder(int count)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var batch = Enumerable.Range(0, count).Select(i => Some.LogEvent($"Event {i}", properties: [])).ToList();

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync(batch);

        Database.Query(path, "SELECT message FROM logs ORDER BY id").Select(r => (string)r["message"]!)
            .Should().Equal(Enumerable.Range(0, count).Select(i => $"Event {i}"));
    }

    [Test]
    public async Task MetricsAmongEventsGoToTheirTableAndEventsKeepTheirOrder()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var batch = Enumerable.Range(0, 300)
            .Select(i => i % 7 == 0 ? MetricEvent.Create("m", i, "ms") : Some.LogEvent($"Event {i}", properties: []))
            .ToList();

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync(batch);

        Database.Query(path, "SELECT message FROM logs ORDER BY id").Select(r => (string)r["message"]!)
            .Should().Equal(Enumerable.Range(0, 300).Where(i => i % 7 != 0).Select(i => $"Event {i}"));
        Database.Query(path, "SELECT value FROM metrics ORDER BY id").Select(r => (double)r["value"]!)
            .Should().Equal(Enumerable.Range(0, 300).Where(i => i % 7 == 0).Select(i => (double)i));
    }

    [Test]
    public async Task ALargeBatchThatFailsPartWayWritesNothingAndItsRetryWritesEachRowOnce()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var batch = Enumerable.Range(0, 1000).Select(i => Some.LogEvent($"Event {i} {new string('x', 200)}", properties: [])).ToList();

        using var sink = SinkFactory.Create(path);
        await sink.EmitBatchAsync([Some.LogEvent("Creates the schema", properties: [])]);
        // A full disk, for the sink's connection only: room for part of the batch, not all of it. The failure is not
        // one event's fault, so the batch must fail whole rather than be written row by row.
        var pages = (long)Database.Query(sink.Connection!, "PRAGMA page_count").Single().Values.Single()!;
        Database.Query(sink.Connection!, $"PRAGMA max_page_count = {pages + 20}");

        var failing = () => sink.EmitBatchAsync(batch);
        (await failing.Should().ThrowAsync<IOException>()).WithMessage("*nothing of it was written*full*");
        Database.Count(path, "logs").Should().Be(1);

        // The sink reopens its connection for the retry, without the limit.
        await sink.EmitBatchAsync(batch);

        Database.Scalar(path, "SELECT COUNT(DISTINCT message) FROM logs WHERE message LIKE 'Event %'").Should().Be(1000L);
        Database.Count(path, "logs").Should().Be(1001);
    }

    [Test]
    public async Task TheSchemaVersionAndIndexesAreCreatedOnFirstUse()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([Some.LogEvent()]);

        Database.Scalar(path, "PRAGMA user_version").Should().Be(1L);
        Database.Query(path, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").Select(r => r["name"])
            .Should().Equal("ix_logs_level_timestamp", "ix_logs_timestamp", "ix_metrics_metric_name_timestamp");
        Database.Scalar(path, "PRAGMA journal_mode").Should().Be("wal");
    }

    [Test]
    public async Task AnOlderFileGainsTheColumnsItLacksAndKeepsItsRows()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        Execute(path, "CREATE TABLE logs (id INTEGER PRIMARY KEY, timestamp TEXT NOT NULL, level TEXT NOT NULL, " +
                      "message TEXT NOT NULL, message_template TEXT NOT NULL); " +
                      "INSERT INTO logs (timestamp, level, message, message_template) VALUES ('2020-01-01 00:00:00.0000000', 'Information', 'old', 'old')");

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([Some.LogEvent("new", properties: [Some.Property("ThreadId", 3)])]);

        Database.Query(path, "SELECT message, thread_id FROM logs ORDER BY id").Select(r => (r["message"], r["thread_id"]))
            .Should().Equal(("old", null), ("new", 3L));
    }

    [Test]
    public async Task ATableOfTheSameNameThatTheSinkDidNotMakeIsRefusedAndLeftAlone()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        Execute(path, "CREATE TABLE logs (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO logs (body) VALUES ('mine')");

        var failures = new FailureCollector();
        using (var sink = SinkFactory.Create(path, listener: failures))
        {
            var writing = () => sink.EmitBatchAsync([Some.LogEvent()]);
            await writing.Should().NotThrowAsync("a permanent failure is reported, not retried");
        }

        failures.Failures.Should().ContainSingle().Which.Text.Should().Match("*table \"logs\"*has no column \"timestamp\"*");

        Database.Query(path, "SELECT * FROM logs").Single()["body"].Should().Be("mine");
        Database.Query(path, "PRAGMA table_info(logs)").Should().HaveCount(2);
    }

    [Test]
    public async Task ConfiguredTableNamesAreUsed()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var sink = SinkFactory.Create(path, o => { o.LogsTableName = "app_logs"; o.MetricsTableName = "app_metrics"; }))
            await sink.EmitBatchAsync([Some.LogEvent()]);

        Database.Count(path, "app_logs").Should().Be(1);
        Database.Count(path, "app_metrics").Should().Be(0);
        Database.Query(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('logs', 'metrics')").Should().BeEmpty();
    }

    [Test]
    public async Task AMissingDirectoryIsCreated()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "a", "b", "logs.db");

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([Some.LogEvent()]);

        Database.Count(path, "logs").Should().Be(1);
    }

    [TestCase(SqliteSynchronousMode.Normal, 1L)]
    [TestCase(SqliteSynchronousMode.Full, 2L)]
    public async Task TheSynchronousSettingIsApplied(SqliteSynchronousMode mode, long pragmaValue)
    {
        using var folder = new TempFolder();
        using var sink = SinkFactory.Create(folder.File("logs.db"), o => o.Synchronous = mode);
        await sink.EmitBatchAsync([Some.LogEvent()]);

        // synchronous is a per-connection setting, so it is read on the sink's own connection.
        Database.Query(sink.Connection!, "PRAGMA synchronous").Single().Values.Single().Should().Be(pragmaValue);
    }

    static void Execute(string path, string sql)
    {
        using var connection = new SQLiteConnection(new SQLiteConnectionStringBuilder { DataSource = path }.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
