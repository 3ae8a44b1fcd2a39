using System.Diagnostics;
using System.Globalization;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class StandardColumnTests
{
    [Test]
    public async Task EveryColumnOfALogRowIsWritten()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        var exception = new InvalidOperationException("it broke");
        var logEvent = new LogEvent(
            new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1234567),
            LogEventLevel.Warning,
            exception,
            new Parsing.MessageTemplateParser().Parse("Request {Endpoint} took {Elapsed} ms"),
            [
                Some.Property("Endpoint", "/api/users"),
                Some.Property("Elapsed", 23.4),
                Some.Property("SourceContext", "api"),
                Some.Property("ThreadId", 42),
            ],
            traceId,
            spanId);

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([logEvent]);

        var row = Database.Query(path, "SELECT * FROM logs").Single();
        row["id"].Should().Be(1L);
        row["timestamp"].Should().Be("2026-03-04 05:06:07.1234567");
        row["level"].Should().Be("Warning");
        row["source_context"].Should().Be("api");
        row["message"].Should().Be("Request \"/api/users\" took 23.4 ms");
        row["message_template"].Should().Be("Request {Endpoint} took {Elapsed} ms");
        row["exception"].Should().Be(exception.ToString());
        row["thread_id"].Should().Be(42L);
        row["trace_id"].Should().Be(traceId.ToHexString());
        row["span_id"].Should().Be(spanId.ToHexString());
        row["properties"].Should().Be("{\"Endpoint\":\"/api/users\",\"Elapsed\":23.4}");
    }

    [Test]
    public async Task OptionalColumnsAreNullWhenTheEventHasNoValueForThem()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([Some.LogEvent("Nothing to add", properties: [])]);

        var row = Database.Query(path, "SELECT source_context, exception, thread_id, trace_id, span_id, properties FROM logs").Single();
        row["source_context"].Should().BeNull();
        row["exception"].Should().BeNull();
        row["thread_id"].Should().BeNull();
        row["trace_id"].Should().BeNull();
        row["span_id"].Should().BeNull();
        row["properties"].Should().Be("{}");
    }

    [Test]
    public async Task PropertiesThatDoNotFitTheirColumnStayInTheJson()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([Some.LogEvent("x", properties: [Some.Property("ThreadId", "main"), Some.Property("SourceContext", 7)])]);

        var row = Database.Query(path, "SELECT source_context, thread_id, properties FROM logs").Single();
        row["source_context"].Should().BeNull();
        row["thread_id"].Should().BeNull();
        row["properties"].Should().Be("{\"ThreadId\":\"main\",\"SourceContext\":7}");
    }

    [TestCase("+05:30")]
    [TestCase("-08:00")]
    [TestCase("+14:00")]
    public async Task TimestampsWithAnyOffsetAreStoredAsUtc(string offset)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var local = new DateTimeOffset(2026, 11, 27, 10, 15, 30, TimeSpan.Parse(offset.TrimStart('+'), CultureInfo.InvariantCulture));

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([Some.LogEvent(timestamp: local)]);

        var stored = (string)Database.Scalar(path, "SELECT timestamp FROM logs")!;
        stored.Should().Be(local.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture));
        // SQLite's own date functions read the stored text back as the same instant.
        Database.Scalar(path, "SELECT strftime('%s', timestamp) FROM logs")
            .Should().Be(local.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
    }

    [Test]
    public async Task AnExceptionWhoseToStringThrowsIsStillWritten()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([Some.LogEvent(level: LogEventLevel.Error, exception: new ExceptionWithBrokenToString())]);

        var exception = (string)Database.Scalar(path, "SELECT exception FROM logs")!;
        exception.Should().Contain(typeof(ExceptionWithBrokenToString).FullName).And.Contain("ToString() threw");
    }

    [Test]
    public async Task LevelsAreStoredByTheirSerilogNames()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync(Enum.GetValues<LogEventLevel>().Select(level => Some.LogEvent(level: level)).ToList());

        Database.Query(path, "SELECT level FROM logs ORDER BY id").Select(r => r["level"])
            .Should().Equal("Verbose", "Debug", "Information", "Warning", "Error", "Fatal");
    }

    sealed class ExceptionWithBrokenToString : Exception
    {
        public override string ToString() => throw new NotSupportedException("no text for you");
    }
}
