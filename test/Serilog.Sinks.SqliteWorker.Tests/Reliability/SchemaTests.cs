using System.Security.Cryptography;
using Serilog.Core;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>Files made by someone else: by an older version of the sink, or by another program.</summary>
[Category(Needs.Sqlite3Client)]
public class SchemaTests
{
    [Test]
    public void AFileFromAnOlderSchemaIsMigratedByAddingWhatIsMissing()
    {
        using var folder = new TempFolder();
        var path = folder.File("old.db");
        Sqlite3Client.Run(path, """
            CREATE TABLE logs (id INTEGER PRIMARY KEY, timestamp TEXT NOT NULL, level TEXT NOT NULL,
                               message TEXT NOT NULL, message_template TEXT NOT NULL, properties TEXT);
            CREATE TABLE metrics (id INTEGER PRIMARY KEY, timestamp TEXT NOT NULL, metric_name TEXT NOT NULL, value REAL NOT NULL);
            INSERT INTO logs (timestamp, level, message, message_template, properties)
                VALUES ('2020-01-01 00:00:00.0000000', 'Information', 'kept', 'kept', '{}');
            INSERT INTO metrics (timestamp, metric_name, value) VALUES ('2020-01-01 00:00:00.0000000', 'kept', 1);
            """);

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            logger.Information("New {Thing}", "row");
            logger.Metric("new", 2, "ms");
        }

        Database.Query(path, "SELECT message, exception FROM logs ORDER BY id").Select(r => r["message"])
            .Should().Equal("kept", "New \"row\"");
        Database.Query(path, "SELECT metric_name, unit FROM metrics ORDER BY id").Select(r => (r["metric_name"], r["unit"]))
            .Should().Equal(("kept", null), ("new", "ms"));
        Database.Scalar(path, "PRAGMA user_version").Should().Be(1L);
        Database.Query(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'").Select(r => r["name"])
            .Should().BeEquivalentTo(["ix_logs_timestamp", "ix_logs_level_timestamp", "ix_metrics_metric_name_timestamp"]);
    }

    [Test]
    public void AFileInUtf16KeepsItsEncodingAndItsText()
    {
        using var folder = new TempFolder();
        var path = folder.File("utf16.db");
        Sqlite3Client.Run(path, "PRAGMA encoding = 'UTF-16le'; CREATE TABLE mine (body TEXT); INSERT INTO mine VALUES ('mine');");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            logger.Information("Text {Text}", "Ünïcødé 🚀");

        Sqlite3Client.Run(path, "PRAGMA encoding;").Should().Equal("UTF-16le");
        Sqlite3Client.Run(path, "SELECT body FROM mine;").Should().Equal("mine");
        Sqlite3Client.Run(path, "SELECT message FROM logs;").Should().Equal("Text \"Ünïcødé 🚀\"");
    }

    [Test]
    public void AnIncompatibleLogsTableIsAFinalFailureAndTheFileIsNotTouched()
    {
        using var folder = new TempFolder();
        var path = folder.File("theirs.db");
        // Another program's file, in the default rollback-journal mode: even switching it to WAL would change it.
        Sqlite3Client.Run(path, "CREATE TABLE logs (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO logs (body) VALUES ('mine');");
        var bytes = File.ReadAllBytes(path);
        var failures = new FailureCollector();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(50)), failures)
                   .CreateLogger())
        {
            logger.Information("Not for this file");
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Final, TimeSpan.FromSeconds(30)).Should().BeTrue();
        }

        failures.Failures.Single().Text.Should().Contain($"'{path}'").And.Contain("table \"logs\"").And.Contain("no column \"timestamp\"");
        File.ReadAllBytes(path).Should().Equal(bytes);
        File.Exists(path + "-wal").Should().BeFalse();
    }

    const string SinksTables = """
        CREATE TABLE logs (id INTEGER PRIMARY KEY, timestamp TEXT NOT NULL, level TEXT NOT NULL, source_context TEXT,
                           message TEXT NOT NULL, message_template TEXT NOT NULL, exception TEXT, thread_id INTEGER,
                           trace_id TEXT, span_id TEXT, properties TEXT);
        CREATE TABLE metrics (id INTEGER PRIMARY KEY, timestamp TEXT NOT NULL, metric_name TEXT NOT NULL, value REAL NOT NULL,
                              unit TEXT, properties TEXT);
        """;

    // Each file has everything the sink looks for but one thing, so that only that thing can make it refuse the file.
    [TestCase("CREATE VIEW logs AS SELECT 1 id, 2 timestamp, 3 level, 4 message, 5 message_template;",
        "\"logs\" in '{0}' is a view", "Configure other table names")]
    [TestCase("CREATE VIRTUAL TABLE logs USING fts5(id, timestamp, level, message, message_template);",
        "\"logs\" in '{0}' is a virtual table", "Configure other table names")]
    [TestCase("CREATE TABLE mine (x); CREATE INDEX metrics ON mine (x);",
        "\"metrics\" in '{0}' is an index", "Configure other table names")]
    [TestCase("CREATE TABLE metrics (id INTEGER PRIMARY KEY, timestamp TEXT NOT NULL, metric_name TEXT NOT NULL);",
        "table \"metrics\" in '{0}' has no column \"value\"", "Configure other table names")]
    [TestCase("CREATE TABLE logs (timestamp TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL, message_template TEXT NOT NULL);",
        "table \"logs\" in '{0}' has no column \"id\"", "Configure other table names")]
    [TestCase(SinksTables + "PRAGMA user_version = 2;",
        "schema version (PRAGMA user_version) is 2, and this release of Serilog.Sinks.SqliteWorker writes version 1",
        "Update the Serilog.Sinks.SqliteWorker package to that release or later, or configure another database file (a file " +
        "of the sink's own if another program keeps its version in this one)")]
    public void AFileTheSinkRefusesIsAFinalFailureWithItsFixAndComesOutByteForByteUnchanged(string script, string why, string fix)
    {
        using var folder = new TempFolder();
        var path = folder.File("refused.db");
        // In the default rollback-journal mode, where even the switch to WAL would change the file's header.
        Sqlite3Client.Run(path, script);
        var before = Sha256(path);
        var failures = new FailureCollector();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.Fallible(wt => wt.SqliteWorker(path, bufferingTimeLimit: TimeSpan.FromMilliseconds(50)), failures)
                   .CreateLogger())
        {
            logger.Information("Not for this file");
            logger.Metric("not_for_this_file", 1);
            failures.WaitFor(f => f.Kind == LoggingFailureKind.Final, TimeSpan.FromSeconds(30)).Should().BeTrue();
        }

        // The first event is written at once; the metric may follow in a batch of its own, dropped as Permanent.
        failures.Failures.First().Kind.Should().Be(LoggingFailureKind.Final);
        failures.Failures.Should().NotContain(f => f.Kind == LoggingFailureKind.Temporary, "a file that cannot be used is not retried");
        failures.Failures.Sum(f => f.Events.Count).Should().Be(2, "both events are reported, each once");
        failures.Failures.First().Text.Should().Contain(string.Format(why, path)).And.Contain(fix).And.Contain("left as it is");
        Sha256(path).Should().Be(before);
        File.Exists(path + "-wal").Should().BeFalse();
        File.Exists(path + "-journal").Should().BeFalse();
    }

    [Test]
    public void AFileAtTheCurrentSchemaVersionIsWrittenToAsBefore()
    {
        using var folder = new TempFolder();
        var path = folder.File("current.db");
        Sqlite3Client.Run(path, SinksTables + "PRAGMA user_version = 1;");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            logger.Information("Written");
            logger.Metric("written", 1);
        }

        Database.Count(path, "logs").Should().Be(1);
        Database.Count(path, "metrics").Should().Be(1);
        Database.Scalar(path, "PRAGMA user_version").Should().Be(1L);
    }

    static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
