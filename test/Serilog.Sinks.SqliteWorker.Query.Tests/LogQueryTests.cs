using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Query.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Query.Tests;

/// <summary>Each log query against the same question asked of the same file in plain SQL by the sqlite3 client.</summary>
[Category(Needs.Sqlite3Client)]
public sealed class LogQueryTests
{
    static string Path => SampleDatabase.Path;

    static DateTimeOffset Now => SampleDatabase.WrittenAt;

    static long[] Sqlite3Ids(string where, string order = "timestamp DESC, id DESC", int limit = 100) =>
        Sqlite3Client.Run(Path, $"SELECT id FROM logs {where} ORDER BY {order} LIMIT {limit};")
            .Select(line => long.Parse(line, CultureInfo.InvariantCulture)).ToArray();

    static long[] Ids(LogFilter? filter, int limit = 100, ResultOrder order = ResultOrder.NewestFirst)
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        return db.GetLogs(filter, limit, order).Select(r => r.Id).ToArray();
    }

    [Test]
    public void WithoutAFilterTheNewestRowsComeFirst() =>
        Ids(null, limit: 50).Should().Equal(Sqlite3Ids("", limit: 50)).And.HaveCount(50);

    [Test]
    public void OldestFirstReturnsTheEarliestRows() =>
        Ids(null, limit: 50, order: ResultOrder.OldestFirst).Should().Equal(Sqlite3Ids("", "timestamp, id", 50));

    [Test]
    public void AnExactLevelSelectsOnlyThatLevel() =>
        Ids(new LogFilter { Level = LogEventLevel.Warning }).Should().Equal(Sqlite3Ids("WHERE level = 'Warning'")).And.NotBeEmpty();

    [Test]
    public void AMinimumLevelSelectsThatLevelAndThoseAbove() =>
        Ids(new LogFilter { MinimumLevel = LogEventLevel.Warning }, limit: 1000)
            .Should().Equal(Sqlite3Ids("WHERE level IN ('Warning', 'Error', 'Fatal')", limit: 1000)).And.HaveCount(180);

    [Test]
    public void SinceAndUntilBoundTheTimeHalfOpen()
    {
        var since = Now.AddHours(-2);
        var until = Now.AddHours(-1.5);
        Ids(new LogFilter { Since = since, Until = until }, limit: 1000).Should().Equal(Sqlite3Ids(
            $"WHERE timestamp >= {Sqlite3Client.Literal(since)} AND timestamp < {Sqlite3Client.Literal(until)}", limit: 1000))
            .And.NotBeEmpty();
    }

    [Test]
    public void WithinSelectsTheLastMinutes() =>
        Ids(new LogFilter { Within = TimeSpan.FromMinutes(60) }, limit: 1000)
            .Should().Equal(Sqlite3Ids("WHERE timestamp >= strftime('%Y-%m-%d %H:%M:%f', 'now', '-60 minutes')", limit: 1000))
            .And.NotBeEmpty();

    [Test]
    public void ASourceContextSelectsItsRows() =>
        Ids(new LogFilter { SourceContext = "Shop.Payments.Gateway", MinimumLevel = LogEventLevel.Information })
            .Should().Equal(Sqlite3Ids("WHERE source_context = 'Shop.Payments.Gateway' AND level IN ('Information', 'Warning', 'Error', 'Fatal')"))
            .And.NotBeEmpty();

    [Test]
    public void MessageTextIsFoundWithoutRegardToAsciiCase() =>
        Ids(new LogFilter { MessageContains = "SIGNED in" }).Should().Equal(Sqlite3Ids("WHERE message LIKE '%signed in%'")).And.NotBeEmpty();

    [Test]
    public void PercentUnderscoreAndBackslashInMessageTextAreLiteral()
    {
        using var folder = new TempFolder();
        var path = folder.File("wildcards.db");
        // Each wildcard next to a message it would match as a wildcard: only the literal text may be found.
        SinkDatabase.Write(path, logger =>
        {
            foreach (var message in new[] { "100% done", "100 x done", "user_id set", "userXid set", @"C:\temp", "C:temp" })
                logger.Information(message);
        });
        using var db = SqliteWorkerDatabase.Open(path);
        string[] Messages(string text) => db.GetLogs(new LogFilter { MessageContains = text }).Select(r => r.Message).ToArray();

        Messages("0% d").Should().Equal("100% done");
        Messages("r_i").Should().Equal("user_id set");
        Messages(@"C:\t").Should().Equal(@"C:\temp");
        Messages("_").Should().Equal("user_id set");
        Messages("%").Should().Equal("100% done");
    }

    [Test]
    public void APropertyValueIsMatchedThroughJsonExtract() =>
        Ids(new LogFilter { PropertyPath = "UserId", PropertyValue = "u-3" })
            .Should().Equal(Sqlite3Ids("WHERE json_extract(properties, '$.UserId') = 'u-3'")).And.NotBeEmpty();

    [Test]
    public void NumericAndBooleanPropertyValuesMatchTheirJsonValues()
    {
        Ids(new LogFilter { PropertyPath = "$.OrderId", PropertyValue = 10 })
            .Should().Equal(Sqlite3Ids("WHERE json_extract(properties, '$.OrderId') = 10")).And.NotBeEmpty();
        Ids(new LogFilter { PropertyPath = "Premium", PropertyValue = true })
            .Should().Equal(Sqlite3Ids("WHERE json_extract(properties, '$.Premium') = 1")).And.NotBeEmpty();
    }

    [Test]
    public void APropertyPathWithoutValueSelectsRowsThatHaveTheProperty() =>
        Ids(new LogFilter { PropertyPath = "CacheKey" }, limit: 1000)
            .Should().Equal(Sqlite3Ids("WHERE json_type(properties, '$.CacheKey') IS NOT NULL", limit: 1000)).And.HaveCount(120);

    [Test]
    public void AThreadSelectsItsRows() =>
        Ids(new LogFilter { ThreadId = 4 }).Should().Equal(Sqlite3Ids("WHERE thread_id = 4")).And.NotBeEmpty();

    [Test]
    public void ATraceIdSelectsItsRowsWhateverTheCaseOfItsDigits()
    {
        var traceId = SampleDatabase.TraceIds[2].ToHexString();
        Ids(new LogFilter { TraceId = traceId.ToUpperInvariant() })
            .Should().Equal(Sqlite3Ids($"WHERE trace_id = '{traceId}'")).And.NotBeEmpty();
    }

    [Test]
    public void FiltersCombine()
    {
        var since = Now.AddHours(-2.5);
        Ids(new LogFilter { MinimumLevel = LogEventLevel.Error, Since = since, ThreadId = 1 }).Should().Equal(Sqlite3Ids(
            $"WHERE level IN ('Error', 'Fatal') AND timestamp >= {Sqlite3Client.Literal(since)} AND thread_id = 1")).And.NotBeEmpty();
    }

    [Test]
    public void PagesVisitEveryRowOnceEvenWhenTimestampsTie([Values] ResultOrder order)
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var filter = new LogFilter { MinimumLevel = LogEventLevel.Debug };
        var all = db.GetLogs(filter, 10_000, order).Select(r => r.Id).ToList();

        var paged = new List<long>();
        RowPosition? after = null;
        while (db.GetLogs(filter, 7, order, after) is { Count: > 0 } page)
        {
            paged.AddRange(page.Select(r => r.Id));
            after = page[^1].Position;
        }

        all.Should().HaveCountGreaterThan(3 * 7, "the pages are many, and some of them tie on their timestamps");
        paged.Should().Equal(all);
        all.Should().HaveCount((int)long.Parse(Sqlite3Client.Scalar(Path, "SELECT count(*) FROM logs WHERE level <> 'Verbose';"), CultureInfo.InvariantCulture));
    }

    [Test]
    public void ARecordCarriesEveryColumnAndItsPropertiesAsJson()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var record = db.GetLogs(new LogFilter { Level = LogEventLevel.Fatal, TraceId = SampleDatabase.TraceIds[0].ToHexString() }, 1).Single();

        var columns = Sqlite3Client.Run(Path,
            ".mode json\nSELECT id, timestamp, level, source_context, message, message_template, exception, thread_id, trace_id, " +
            $"span_id, properties FROM logs WHERE id = {record.Id};");
        using var expected = System.Text.Json.JsonDocument.Parse(string.Join("\n", columns));
        var row = expected.RootElement[0];

        record.Timestamp.Should().Be(DateTimeOffset.ParseExact(row.GetProperty("timestamp").GetString()!, "yyyy-MM-dd HH:mm:ss.fffffff",
            CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal));
        record.Timestamp.Offset.Should().Be(TimeSpan.Zero);
        record.Level.Should().Be(LogEventLevel.Fatal);
        record.SourceContext.Should().Be(row.GetProperty("source_context").GetString());
        record.Message.Should().Be(row.GetProperty("message").GetString());
        record.MessageTemplate.Should().Be(row.GetProperty("message_template").GetString());
        record.Exception.Should().Be(row.GetProperty("exception").GetString()).And.NotBeNull();
        record.ThreadId.Should().Be(row.GetProperty("thread_id").GetInt64());
        record.TraceId.Should().Be(SampleDatabase.TraceIds[0].ToHexString());
        record.SpanId.Should().Be(row.GetProperty("span_id").GetString()).And.HaveLength(16);
        record.Properties.GetRawText().Should().Be(row.GetProperty("properties").GetString());
        record.Properties.GetProperty("OrderId").GetInt32().Should().BeGreaterThanOrEqualTo(0);
    }

    [Test]
    public void OneRowIsReadByItsIdAndAMissingIdGivesNull()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var rows = db.GetLogs(new LogFilter { MinimumLevel = LogEventLevel.Error }, 5);
        rows.Should().HaveCount(5);
        foreach (var row in rows)
        {
            var read = db.GetLog(row.Id);
            read.Should().BeEquivalentTo(row, o => o.Excluding(r => r.Properties));
            read!.Properties.GetRawText().Should().Be(row.Properties.GetRawText());
        }

        var maxId = long.Parse(Sqlite3Client.Scalar(Path, "SELECT max(id) FROM logs;"), CultureInfo.InvariantCulture);
        db.GetLog(maxId + 1).Should().BeNull();
        db.GetLog(0).Should().BeNull();
    }

    [Test]
    public void TimestampsRoundTripToTheStoredText()
    {
        using var db = SqliteWorkerDatabase.Open(Path);
        var stored = Sqlite3Client.Run(Path, "SELECT timestamp FROM logs ORDER BY timestamp DESC, id DESC LIMIT 20;");
        db.GetLogs(limit: 20).Select(r => r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture))
            .Should().Equal(stored);
    }
}
