using Serilog.Events;
using Serilog.Sinks.SqliteWorker.Tests.Support;

namespace Serilog.Sinks.SqliteWorker.Tests;

/// <summary>
/// The queue between the logging threads and the writer: rows rendered on the way in, kept as text in reused segments,
/// taken and released in the order they came.
/// </summary>
public class RowQueueTests
{
    const int LogColumns = 10;

    [Test]
    public void RowsComeOutInTheOrderTheyWentInAcrossManySegments()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        // About 1,000 characters of text a row: a segment holds a few dozen, so 2,000 rows span many.
        var padding = new string('x', 900);
        for (var i = 0; i < 2_000; i++)
            queue.Add(i % 10 == 0 ? Metric(i) : Some.LogEvent("Event {Index} {Padding}", properties: [Some.Property("Index", i), Some.Property("Padding", padding)]));

        var taken = new List<string>();
        var batch = new RowBatch();
        while (queue.Count > 0)
        {
            queue.Take(300, batch);
            batch.Count.Should().BeInRange(1, 300);
            taken.AddRange(Read(batch));
            queue.Release(batch);
        }

        taken.Should().Equal(Enumerable.Range(0, 2_000).Select(i => i % 10 == 0 ? $"metric {i}" : $"Event {i} \"{padding}\""));
    }

    [Test]
    public void ARowTakenButNotReleasedIsTakenAgain()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        queue.Add(Some.LogEvent("First"));
        queue.Add(Some.LogEvent("Second"));
        var batch = new RowBatch();

        queue.Take(1, batch);
        Read(batch).Should().Equal("First");
        queue.Take(5, batch);
        Read(batch).Should().Equal("First", "Second");
        queue.Release(batch);

        queue.Count.Should().Be(0);
        queue.Add(Some.LogEvent("Third"));
        queue.Take(5, batch);
        Read(batch).Should().Equal("Third");
    }

    [Test]
    public void ARowLargerThanASegmentIsKeptWhole()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        var exception = new InvalidOperationException(new string('e', 3 * RowSegment.TextCapacity));
        queue.Add(Some.LogEvent("Before"));
        queue.Add(Some.LogEvent("Large", exception: exception));
        queue.Add(Some.LogEvent("After"));

        var batch = new RowBatch();
        queue.Take(10, batch);

        var rows = batch.Rows().Select(r => Values(r.Segment, r.Row)).ToList();
        rows.Select(r => r[3]).Should().Equal("Before", "Large", "After");
        rows[1][5].Should().Be(exception.ToString());
    }

    [Test]
    public void RowsAddedFromManyThreadsAreEachTakenOnceAndInTheirThreadsOrder()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        const int threads = 4, perThread = 5_000;
        var producers = Enumerable.Range(0, threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < perThread; i++)
                queue.Add(Some.LogEvent("{Thread} {Index}", properties: [Some.Property("Thread", t), Some.Property("Index", i)]));
        })).ToArray();

        var taken = new List<string>();
        var batch = new RowBatch();
        while (taken.Count < threads * perThread)
        {
            queue.Take(1_000, batch);
            taken.AddRange(Read(batch));
            queue.Release(batch);
        }

        Task.WaitAll(producers);
        queue.Count.Should().Be(0);
        var byThread = taken.Select(m => m.Split(' ').Select(int.Parse).ToArray()).GroupBy(p => p[0]).ToList();
        byThread.Should().HaveCount(threads);
        foreach (var rows in byThread)
            rows.Select(p => p[1]).Should().Equal(Enumerable.Range(0, perThread));
    }

    [Test]
    public void ARowIsRenderedWhenItIsAddedSoLaterChangesToTheEventAreNotWritten()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        var logEvent = Some.LogEvent("Hello {Name}");
        queue.Add(logEvent);
        logEvent.AddOrUpdateProperty(Some.Property("Name", "changed"));

        var batch = new RowBatch();
        queue.Take(1, batch);
        Read(batch).Should().Equal("Hello \"World\"");
    }

    [Test]
    public void AnEventRebuiltFromItsRowHasTheEventsOwnTemplateTimeLevelExceptionAndIds()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        var exception = new InvalidOperationException("Broken");
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom();
        var spanId = System.Diagnostics.ActivitySpanId.CreateRandom();
        var original = new LogEvent(DateTimeOffset.Parse("2026-01-02T03:04:05.678+05:30"), LogEventLevel.Warning, exception,
            new Serilog.Parsing.MessageTemplateParser().Parse("Order {OrderId} for {Customer} took {Elapsed} ms"),
            [
                Some.Property("OrderId", 42),
                new LogEventProperty("Customer", new StructureValue([Some.Property("Name", "Ada")], "Customer")),
                Some.Property("Elapsed", 23.4),
                Some.Property("SourceContext", "Shop.Orders"),
                Some.Property("ThreadId", 7),
            ],
            traceId, spanId);
        queue.Add(original);

        var batch = new RowBatch();
        queue.Take(1, batch);
        var rebuilt = batch.RebuildEvents().Should().ContainSingle().Subject;

        rebuilt.MessageTemplate.Should().BeSameAs(original.MessageTemplate);
        rebuilt.Timestamp.Should().Be(original.Timestamp);
        rebuilt.Timestamp.Offset.Should().Be(original.Timestamp.Offset);
        rebuilt.Level.Should().Be(LogEventLevel.Warning);
        rebuilt.Exception.Should().BeSameAs(exception);
        rebuilt.TraceId.Should().Be(traceId);
        rebuilt.SpanId.Should().Be(spanId);
        rebuilt.RenderMessage().Should().Be(original.RenderMessage());
        rebuilt.Properties.Keys.Should().BeEquivalentTo(original.Properties.Keys);
        rebuilt.Properties["SourceContext"].Should().Be(new ScalarValue("Shop.Orders"));
        rebuilt.Properties["ThreadId"].Should().Be(new ScalarValue(7));
    }

    [Test]
    public void AMetricRebuiltFromItsRowIsStillAMetric()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        var original = MetricEvent.Create("queue.depth", 12.5, "items");
        queue.Add(original);

        var batch = new RowBatch();
        queue.Take(1, batch);
        var rebuilt = batch.RebuildEvents().Should().ContainSingle().Subject;

        MetricEvent.IsMetric(rebuilt).Should().BeTrue();
        MetricEvent.TryRead(rebuilt, out var name, out var value, out var unit).Should().BeTrue();
        (name, value, unit).Should().Be(("queue.depth", 12.5, "items"));
        rebuilt.RenderMessage().Should().Be(original.RenderMessage());
    }

    [Test]
    public void AnEventLoggedWhileAnotherIsRenderedOnTheSameThreadLeavesBothRowsWhole()
    {
        using var queue = new RowQueue(null, [], LogColumns);
        // A value whose formatting logs, as a ToString() that logs does: the inner event is queued mid-render.
        var value = new LogsWhenFormatted(() => queue.Add(Some.LogEvent("Inner {Name}")));
        queue.Add(Some.LogEvent("Outer {Value}", properties: [new LogEventProperty("Value", new ScalarValue(value))]));

        var batch = new RowBatch();
        queue.Take(10, batch);

        var rows = batch.Rows().Select(r => Values(r.Segment, r.Row)).ToList();
        rows.Select(r => r[3]).Should().Equal("Inner \"World\"", "Inner \"World\"", "Outer formatted");
        rows[^1][9].Should().Be("{\"Value\":\"formatted\"}");
        rows[0][9].Should().Be("{\"Name\":\"World\"}");
    }

    sealed class LogsWhenFormatted(Action log) : IFormattable
    {
        public string ToString(string? format, IFormatProvider? formatProvider)
        {
            log();
            return "formatted";
        }

        public override string ToString() => ToString(null, null);
    }

    static LogEvent Metric(int i) => MetricEvent.Create($"metric {i}", i, null);

    /// <summary>Each row's message, or a metric row's name.</summary>
    static List<string> Read(RowBatch batch) =>
        batch.Rows().Select(r => (string)Values(r.Segment, r.Row)[r.Segment.IsMetric(r.Row) ? 1 : 3]).ToList();

    static object[] Values(RowSegment segment, int row)
    {
        var values = new object[segment.IsMetric(row) ? MetricRowWriter.Columns : LogColumns];
        segment.CopyTo(row, values);
        return values;
    }
}
