using System.Diagnostics;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Viewer.Tests.Support;

/// <summary>
/// A database of known events for the viewer's tests: 150 events, one every 30 seconds up to now, over three sources and
/// four levels, some with an exception or a trace id, and metric values for two metrics.
/// </summary>
static class SampleEvents
{
    public const int LogCount = 150;
    public static readonly string[] Sources = ["Shop.Orders", "Shop.Payments", "Shop.Api"];
    public static readonly ActivityTraceId TraceId = ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736");

    public static void Write(string path)
    {
        var now = DateTimeOffset.UtcNow;
        SinkDatabase.Write(path, logger =>
        {
            for (var i = LogCount - 1; i >= 0; i--)
                logger.Write(Event(now, i));
            for (var i = 0; i < 120; i++)
                logger.Metric(i % 3 == 0 ? "checkout_ms" : "response_time", 10 + i % 40 + (i % 7) * 0.5, "ms");
        });
    }

    static LogEvent Event(DateTimeOffset now, int i)
    {
        var source = Sources[i % 3];
        var properties = new (string, object?)[] { ("OrderId", i), ("Customer", "c" + (i % 4)), ("SourceContext", source) };
        var time = now - TimeSpan.FromSeconds(30 * i);
        var traceId = i % 5 == 0 ? TraceId : (ActivityTraceId?)null;
        return (i % 10) switch
        {
            0 => TestEvent.At(time, LogEventLevel.Error, "Order {OrderId} failed", new InvalidOperationException("Payment declined"), traceId, properties),
            1 => TestEvent.At(time, LogEventLevel.Warning, "Order {OrderId} is slow", null, traceId, properties),
            2 => TestEvent.At(time, LogEventLevel.Debug, "Cache miss for order {OrderId}", null, traceId, properties),
            _ => TestEvent.At(time, LogEventLevel.Information, "Order {OrderId} placed by {Customer}", null, traceId, properties),
        };
    }
}
