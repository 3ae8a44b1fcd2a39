using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests.Reliability;

/// <summary>SQL, connection-string and JSON-path text wherever a user or an event can put text.</summary>
public class InjectionTests
{
    static readonly string[] Attacks =
    [
        "logs; DROP TABLE logs; --",
        "logs\" (x); DROP TABLE logs; --",
        "x') ; DELETE FROM logs; --",
        "logs]",
        "sqlite_master",
        "main.logs",
        "logs\0",
    ];

    [TestCaseSource(nameof(Attacks))]
    public void EveryConfigurableNameRefusesSql(string name)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        var logs = () => new LoggerConfiguration().WriteTo.SqliteWorker(path, logsTableName: name);
        var metrics = () => new LoggerConfiguration().WriteTo.SqliteWorker(path, metricsTableName: name);
        var options = () => new LoggerConfiguration().WriteTo.SqliteWorker(new SqliteWorkerSinkOptions { DatabasePath = path, LogsTableName = name });

        logs.Should().Throw<ArgumentException>().WithParameterName("logsTableName");
        metrics.Should().Throw<ArgumentException>().WithParameterName("metricsTableName");
        options.Should().Throw<ArgumentException>().WithParameterName("logsTableName");
        File.Exists(path).Should().BeFalse();
    }

    [Test]
    public void APathWithConnectionStringSyntaxIsOnlyAFileName()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db;Journal Mode=Off;Read Only=True;x='y");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            logger.Information("Stored");

        File.Exists(path).Should().BeTrue();
        Database.Count(path, "logs").Should().Be(1);
        Database.Scalar(path, "PRAGMA journal_mode").Should().Be("wal");
    }

    [Test]
    public void SqlInPropertyNamesValuesTemplatesAndSourceContextIsStoredAsText()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        const string attack = "'); DROP TABLE logs; --";

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            logger.ForContext("SourceContext", attack).ForContext(attack, attack)
                .Information("Template " + attack + " {Value}", attack);
            logger.Metric(attack, 1, attack);
        }

        var row = Database.Query(path, "SELECT source_context, message_template, properties FROM logs").Single();
        row["source_context"].Should().Be(attack);
        row["message_template"].Should().Be("Template " + attack + " {Value}");
        Database.Scalar(path, "SELECT json_extract(properties, '$.Value') FROM logs").Should().Be(attack);
        Database.Scalar(path, "SELECT json_extract(properties, '$.\"''); DROP TABLE logs; --\"') FROM logs").Should().Be(attack);
        Database.Query(path, "SELECT metric_name, unit FROM metrics").Single().Values.Should().Equal(attack, attack);
        Database.Query(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").Select(r => r["name"])
            .Should().Equal("logs", "metrics");
    }
}
