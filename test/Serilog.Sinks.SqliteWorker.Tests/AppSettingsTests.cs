using Microsoft.Extensions.Configuration;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>The sink configured through a real appsettings.json, read by Serilog.Settings.Configuration.</summary>
public class AppSettingsTests
{
    static Serilog.Core.Logger FromJson(TempFolder folder, string args)
    {
        var settings = folder.File($"appsettings-{Guid.NewGuid():n}.json");
        File.WriteAllText(settings, $$"""
            {
              "Serilog": {
                "Using": [ "Serilog.Sinks.SqliteWorker" ],
                "MinimumLevel": "Verbose",
                "WriteTo": [ { "Name": "SqliteWorker", "Args": {{args}} } ]
              }
            }
            """);
        return new LoggerConfiguration().ReadFrom.Configuration(new ConfigurationBuilder().AddJsonFile(settings).Build()).CreateLogger();
    }

    static string Json(string path) => path.Replace("\\", "\\\\");

    [Test]
    public void TheFlatOverloadFromJsonWritesToItsTablesAboveItsLevel()
    {
        using var folder = new TempFolder();
        var path = folder.File("from-json.db");

        using (var logger = FromJson(folder, $$"""
                   {
                     "databasePath": "{{Json(path)}}",
                     "restrictedToMinimumLevel": "Information",
                     "batchSizeLimit": 500,
                     "bufferingTimeLimit": "00:00:01",
                     "queueLimit": 20000,
                     "blockWhenFull": true,
                     "logsTableName": "app_logs",
                     "metricsTableName": "app_metrics",
                     "synchronous": "Full",
                     "busyTimeout": "00:00:05",
                     "retentionPeriod": "30.00:00:00",
                     "maxDatabaseSize": 104857600,
                     "retryTimeLimit": "00:05:00"
                   }
                   """))
        {
            logger.Debug("Below the sink's minimum level");
            logger.Information("Configured from {Source}", "JSON");
            logger.Metric("json_metric", 1.5, "s");
        }

        Database.Query(path, "SELECT message FROM app_logs").Single()["message"].Should().Be("Configured from \"JSON\"");
        Database.Query(path, "SELECT unit FROM app_metrics").Single()["unit"].Should().Be("s");
    }

    [Test]
    public void RetentionPeriodAndSizeLimitFromJsonReachTheSink()
    {
        using var folder = new TempFolder();
        var path = folder.File("retention-from-json.db");
        var padding = new string('x', 500);

        using (var logger = FromJson(folder, $$"""
                   {
                     "databasePath": "{{Json(path)}}",
                     "bufferingTimeLimit": "00:00:00.050",
                     "retentionPeriod": "01:00:00",
                     "maxDatabaseSize": 1048576
                   }
                   """))
        {
            // A few small rows: only the retention period can delete the old one.
            logger.Write(Some.LogEvent("Old", timestamp: DateTimeOffset.UtcNow.AddDays(-1)));
            logger.Information("New");
            Poll.Until(() => Database.CountOrMissing(path, "SELECT COUNT(*) FROM logs WHERE message = 'New'") == 1 &&
                             Database.CountOrMissing(path, "SELECT COUNT(*) FROM logs WHERE message = 'Old'") == 0);

            // About 3 MB of new rows: only the size limit can delete some of them.
            for (var i = 0; i < 5000; i++)
                logger.Information("Filler {Seq} {Padding}", i, padding);
            Poll.Until(() => Database.CountOrMissing(path, "SELECT COUNT(*) FROM logs WHERE json_extract(properties, '$.Seq') = 4999") == 1 &&
                             Database.UsedBytes(path) <= 1048576);
        }

        Database.Scalar(path, "SELECT COUNT(*) FROM logs WHERE message = 'New'").Should().Be(0L, "the oldest rows made room");
    }

    [Category(Needs.Sqlite3Client)]
    [Test]
    public void RetryTimeLimitFromJsonGivesUpAFailingBatchAfterThatLong()
    {
        using var folder = new TempFolder();
        var path = folder.File("retry-from-json.db");
        using (new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger()) { }
        var selfLog = new StringWriter();
        SelfLog.Enable(TextWriter.Synchronized(selfLog));
        try
        {
            using (var holder = LockHolder.Take(path))
            using (var logger = FromJson(folder, $$"""
                       {
                         "databasePath": "{{Json(path)}}",
                         "bufferingTimeLimit": "00:00:00.100",
                         "busyTimeout": "00:00:00.050",
                         "retryTimeLimit": "00:00:01"
                       }
                       """))
            {
                logger.Information("Given up");
                // With the default limit of 10 minutes the batch would still be waiting for the lock to go.
                Poll.Until(() => selfLog.ToString().Contains("(the retry time limit) and was dropped"));
                holder.Release();
                logger.Information("Written");
            }
        }
        finally
        {
            SelfLog.Disable();
        }

        selfLog.ToString().Should().Contain("could not be written for 00:00:01 (the retry time limit)");
        Database.Query(path, "SELECT message FROM logs").Select(r => (string)r["message"]!).Should().Equal("Written");
    }

    [Test]
    public void ANegativeRetryTimeLimitInJsonIsRefusedNamingIt()
    {
        using var folder = new TempFolder();

        var configuring = () => FromJson(folder, """{ "databasePath": "x.db", "retryTimeLimit": "-00:00:01" }""");

        var thrown = configuring.Should().Throw<Exception>().Which;
        var refusal = thrown as ArgumentException ?? thrown.InnerException as ArgumentException;
        refusal.Should().NotBeNull($"an ArgumentException should explain the mistake, not {thrown}");
        refusal!.ParamName.Should().Be("retryTimeLimit");
        refusal.Message.Should().StartWith("retryTimeLimit is -00:00:01; it must be zero (no retries) or more");
    }

    [Test]
    public void CustomColumnsAreConfiguredFromJson()
    {
        using var folder = new TempFolder();
        var path = folder.File("columns.db");

        using (var logger = FromJson(folder, $$"""
                   {
                     "databasePath": "{{Json(path)}}",
                     "customColumns": [
                       { "PropertyPath": "Hostname", "ColumnName": "hostname" },
                       { "PropertyPath": "Order.Customer.Id", "ColumnName": "customer_id", "Type": "Integer", "Indexed": true }
                     ]
                   }
                   """))
            logger.ForContext("Hostname", "web-7").Information("Placed {@Order}", new { Customer = new { Id = 42 } });

        var row = Database.Query(path, "SELECT hostname, customer_id FROM logs").Single();
        row["hostname"].Should().Be("web-7");
        row["customer_id"].Should().Be(42L);
        Database.Query(path, "SELECT name FROM sqlite_master WHERE type = 'index'").Select(r => r["name"]).Should().Contain("cx_logs_customer_id");
    }

    [Test]
    public void AMistakeInJsonFailsAtConfigurationWithTheSameMessage()
    {
        using var folder = new TempFolder();

        var configuring = () => FromJson(folder, """{ "databasePath": "x.db", "logsTableName": "logs; DROP TABLE logs" }""");

        configuring.Should().Throw<Exception>()
            .Where(e => e.Message.Contains("not a valid SQLite table name for logsTableName") ||
                        (e.InnerException != null && e.InnerException.Message.Contains("not a valid SQLite table name for logsTableName")));
    }

    [Test]
    public void TheJsonConfiguredLoggerWritesTheSameRowsAsTheCSharpOne()
    {
        using var folder = new TempFolder();
        var jsonPath = folder.File("json.db");
        var codePath = folder.File("code.db");
        var timestamp = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));

        void LogTheSameThings(ILogger logger)
        {
            logger.Write(Some.LogEvent("Order {OrderId} for {@Customer}", LogEventLevel.Warning, timestamp,
                new InvalidOperationException("out of stock"),
                [Some.Property("OrderId", 42), new("Customer", new StructureValue([new("Name", new ScalarValue("Ada"))], "Customer")),
                 Some.Property("SourceContext", "shop")]));
            logger.Write(Some.LogEvent("Hidden", LogEventLevel.Debug, timestamp));
        }

        using (var json = FromJson(folder, $$"""{ "databasePath": "{{Json(jsonPath)}}", "restrictedToMinimumLevel": "Information", "logsTableName": "events" }"""))
            LogTheSameThings(json);
        using (var code = new LoggerConfiguration().MinimumLevel.Verbose()
                   .WriteTo.SqliteWorker(codePath, restrictedToMinimumLevel: LogEventLevel.Information, logsTableName: "events").CreateLogger())
            LogTheSameThings(code);

        var fromJson = Database.Query(jsonPath, "SELECT * FROM events");
        fromJson.Should().ContainSingle();
        fromJson.Should().BeEquivalentTo(Database.Query(codePath, "SELECT * FROM events"), o => o.WithStrictOrdering());
    }
}
