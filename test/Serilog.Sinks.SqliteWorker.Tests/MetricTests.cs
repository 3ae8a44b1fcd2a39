using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

public class MetricTests
{
    [Test]
    public void MetricEventsGoToTheMetricsTable()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            logger.ForContext("Host", "web-1").Metric("response_time", 45.2, "ms");
            logger.Metric("queue_depth", 17);
        }

        Database.Count(path, "logs").Should().Be(0);
        var rows = Database.Query(path, "SELECT metric_name, value, unit, properties FROM metrics ORDER BY id");
        rows.Should().HaveCount(2);
        rows[0]["metric_name"].Should().Be("response_time");
        rows[0]["value"].Should().Be(45.2);
        rows[0]["unit"].Should().Be("ms");
        rows[0]["properties"].Should().Be("{\"Host\":\"web-1\"}");
        rows[1]["metric_name"].Should().Be("queue_depth");
        rows[1]["value"].Should().Be(17.0);
        rows[1]["unit"].Should().BeNull();
    }

    [Test]
    public void AnOrdinaryEventWithAMetricNamePropertyIsNotSwallowed()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            logger.Information("Metric {MetricName:l} = {MetricValue} {MetricUnit:l}", "fake", 1.0, "ms");
            logger.ForContext("MetricName", "also_fake").ForContext("MetricValue", 2.0).Information("Looks like one");
        }

        Database.Count(path, "metrics").Should().Be(0);
        Database.Count(path, "logs").Should().Be(2);
    }

    [Test]
    public void OtherSinksSeeMetricEventsAsOrdinaryText()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var other = new List<LogEvent>();

        using (var logger = new LoggerConfiguration()
                   .WriteTo.Sink(new CollectingSink(other))
                   .WriteTo.SqliteWorker(path)
                   .CreateLogger())
        {
            logger.Metric("response_time", 45.2, "ms");
            logger.Metric("queue_depth", 3);
        }

        other.Select(e => e.RenderMessage()).Should().Equal("Metric response_time = 45.2 ms", "Metric queue_depth = 3");
        other.Should().OnlyContain(e => e.Level == LogEventLevel.Information);
        Database.Count(path, "metrics").Should().Be(2);
    }

    [Test]
    public void TimeMetricRecordsItsDurationInMillisecondsOnce()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
        {
            var operation = logger.TimeMetric("db_query");
            Thread.Sleep(30);
            operation.Dispose();
            operation.Dispose();
        }

        var row = Database.Query(path, "SELECT metric_name, value, unit FROM metrics").Single();
        row["metric_name"].Should().Be("db_query");
        row["unit"].Should().Be("ms");
        ((double)row["value"]!).Should().BeGreaterThanOrEqualTo(29.0).And.BeLessThan(60_000);
    }

    [TestCase("", 1.0, "the metric name is empty")]
    [TestCase("   ", 1.0, "the metric name is empty")]
    [TestCase("cpu", double.NaN, "not a finite number")]
    [TestCase("cpu", double.PositiveInfinity, "not a finite number")]
    [TestCase("cpu", double.NegativeInfinity, "not a finite number")]
    public void AMetricThatCannotBeStoredBecomesAWarningInstead(string name, double value, string reason)
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            logger.Metric(name, value, "%");

        Database.Count(path, "metrics").Should().Be(0);
        var row = Database.Query(path, "SELECT level, message FROM logs").Single();
        row["level"].Should().Be("Warning");
        ((string)row["message"]!).Should().Contain("was not recorded").And.Contain(reason);
    }

    [Test]
    public void MetricsRespectTheLoggersMinimumLevel()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");

        using (var logger = new LoggerConfiguration().MinimumLevel.Warning().WriteTo.SqliteWorker(path).CreateLogger())
        {
            logger.Metric("ignored", 1);
            logger.Warning("kept");
        }

        Database.Count(path, "metrics").Should().Be(0);
        Database.Count(path, "logs").Should().Be(1);
    }

    [Test]
    public async Task AMetricEventAlteredIntoSomethingUnusableIsWrittenAsALogInstead()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        var collected = new List<LogEvent>();
        using (var logger = new LoggerConfiguration().WriteTo.Sink(new CollectingSink(collected)).CreateLogger())
            logger.Metric("cpu", 3);
        var metric = collected.Single();
        metric.AddOrUpdateProperty(new LogEventProperty("MetricValue", new ScalarValue("not a number")));

        using (var sink = SinkFactory.Create(path))
            await sink.EmitBatchAsync([metric]);

        Database.Count(path, "metrics").Should().Be(0);
        Database.Scalar(path, "SELECT message FROM logs").Should().Be("Metric cpu = \"not a number\"");
    }

    sealed class CollectingSink(List<LogEvent> events) : ILogEventSink
    {
        public void Emit(LogEvent logEvent) => events.Add(logEvent);
    }
}
