using System.Diagnostics;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// The schema is defined once, in <see cref="LogColumns"/> and <see cref="MetricColumns"/>; these tests fail when the
/// definition disagrees with itself or when the sink creates, fills or rebuilds rows by anything else.
/// </summary>
public class SchemaDefinitionTests
{
    [Test]
    public void TheTablesTheSinkCreatesHaveExactlyTheDefinedColumnsInOrder()
    {
        using var folder = new TempFolder();
        var path = folder.File("logs.db");
        // The sink creates its tables with its first batch.
        using (var logger = new LoggerConfiguration().WriteTo.SqliteWorker(path).CreateLogger())
            logger.Information("Creates the tables");

        TableColumns(path, "logs").Should().Equal(
            [(SchemaColumn.Id, "INTEGER", false), .. LogColumns.All.Select(c => (c.Name, c.SqlType.Replace(" NOT NULL", ""), c.NotNull))]);
        TableColumns(path, "metrics").Should().Equal(
            [(SchemaColumn.Id, "INTEGER", false), .. MetricColumns.All.Select(c => (c.Name, c.SqlType.Replace(" NOT NULL", ""), c.NotNull))]);
    }

    [TestCase(typeof(LogColumns))]
    [TestCase(typeof(MetricColumns))]
    public void EachOrdinalIsThePlaceOfTheColumnOfTheSameName(Type columns)
    {
        var all = (IReadOnlyList<SchemaColumn>)columns.GetField("All")!.GetValue(null)!;
        var ordinals = columns.GetNestedType("Ordinal")!.GetFields().ToDictionary(f => f.Name, f => (int)f.GetRawConstantValue()!);
        var names = columns.GetFields().Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

        ordinals.Keys.Should().BeEquivalentTo(names.Keys, "every column has a name and an ordinal");
        all.Should().HaveCount((int)columns.GetField("Count")!.GetRawConstantValue()!).And.HaveCount(names.Count);
        foreach (var (member, ordinal) in ordinals)
            all[ordinal].Name.Should().Be(names[member], $"{columns.Name}.Ordinal.{member} is the place of {columns.Name}.{member}");
    }

    [Test]
    public void ALogRowRebuiltIntoAnEventGivesBackTheValuesOfEachColumn()
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Warning, null,
            new Parsing.MessageTemplateParser().Parse("Order {OrderId} shipped"),
            [Some.Property("OrderId", 42), Some.Property("SourceContext", "Shop.Orders"), Some.Property("ThreadId", 7)],
            traceId, spanId);

        var rebuilt = RenderAndRebuild(logEvent);

        rebuilt.Properties["OrderId"].Should().Be(new ScalarValue(42L));
        rebuilt.Properties["SourceContext"].Should().Be(new ScalarValue("Shop.Orders"));
        rebuilt.Properties["ThreadId"].Should().Be(new ScalarValue(7));
        rebuilt.TraceId.Should().Be(traceId);
        rebuilt.SpanId.Should().Be(spanId);
    }

    [Test]
    public void AMetricRowRebuiltIntoAnEventGivesBackTheValuesOfEachColumn()
    {
        var metric = MetricEvent.Create("response_time", 45.2, "ms");
        var withHost = new LogEvent(metric.Timestamp, metric.Level, null, metric.MessageTemplate,
            [.. metric.Properties.Select(p => new LogEventProperty(p.Key, p.Value)), Some.Property("Host", "web-1")]);

        var rebuilt = RenderAndRebuild(withHost);

        rebuilt.Properties[MetricEvent.NamePropertyName].Should().Be(new ScalarValue("response_time"));
        rebuilt.Properties[MetricEvent.ValuePropertyName].Should().Be(new ScalarValue(45.2));
        rebuilt.Properties[MetricEvent.UnitPropertyName].Should().Be(new ScalarValue("ms"));
        rebuilt.Properties["Host"].Should().Be(new ScalarValue("web-1"));
    }

    static LogEvent RenderAndRebuild(LogEvent logEvent)
    {
        using var queue = new RowQueue(null, [], LogColumns.Count);
        queue.Add(logEvent);
        var batch = new RowBatch();
        queue.Take(1, batch);
        var (segment, row) = batch.Rows().Single();
        return segment.Rebuild(row);
    }

    static List<(string Name, string Type, bool NotNull)> TableColumns(string path, string table) =>
        Database.Query(path, $"SELECT name, type, \"notnull\" FROM pragma_table_info('{table}') ORDER BY cid")
            .Select(r => ((string)r["name"]!, (string)r["type"]!, (long)r["notnull"]! == 1))
            .ToList();
}
