using System.Diagnostics;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Tool.Tests.Support;

/// <summary>
/// One database written by the sink and shared by the tests that only read it, with counts chosen to be checked
/// exactly: 240 events, one every 45 seconds over the last three hours, and 240 metric values.
/// </summary>
static class ToolDatabase
{
    public const int LogCount = 240;
    public const int ErrorCount = 24;
    public const int WarningCount = 24;
    public const int DebugCount = 24;
    public const int InformationCount = 168;
    public const int ResponseTimeCount = 180;
    public const int CheckoutCount = 60;
    public const int MetricCount = ResponseTimeCount + CheckoutCount;

    public static readonly string[] Sources = ["Shop.Orders", "Shop.Payments", "Shop.Api"];
    public static readonly ActivityTraceId TraceId = ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736");

    static readonly Lazy<string> Database = new(Create);
    static TempFolder? _folder;

    /// <summary>When the data was written; event i is 45 × i seconds (and i milliseconds) before it.</summary>
    public static DateTimeOffset WrittenAt { get; private set; }

    public static string Path => Database.Value;

    public static DateTimeOffset EventTime(int i) => WrittenAt - TimeSpan.FromSeconds(45 * i) - TimeSpan.FromMilliseconds(i);

    public static void Delete() => _folder?.Dispose();

    static string Create()
    {
        _folder = new TempFolder();
        var path = _folder.File("tool.db");
        WrittenAt = DateTimeOffset.UtcNow;
        SinkDatabase.Write(path, logger =>
        {
            for (var i = LogCount - 1; i >= 0; i--)
                logger.Write(Event(i));
            for (var i = 0; i < MetricCount; i++)
            {
                if (i < ResponseTimeCount)
                    logger.Metric("response_time", 10 + i % 50 + (i % 7) * 0.25, "ms");
                else
                    logger.Metric("checkout_ms", 100 + (i * 37 % 400), "ms");
            }
        });

        // response_time: one value a minute over three hours; checkout_ms: one every three minutes.
        SinkDatabase.SetMetricTimestamps(path, id => id <= ResponseTimeCount
            ? WrittenAt - TimeSpan.FromSeconds(60 * (id - 1) + 5)
            : WrittenAt - TimeSpan.FromSeconds(180 * (id - ResponseTimeCount - 1) + 7));
        return path;
    }

    static Serilog.Events.LogEvent Event(int i)
    {
        var source = Sources[i % 3];
        var properties = new List<(string, object?)> { ("OrderId", i), ("Customer", "c" + (i % 4)), ("ThreadId", i % 2 + 1), ("SourceContext", source) };
        var traceId = i % 5 == 0 ? TraceId : (ActivityTraceId?)null;
        return (i % 10) switch
        {
            0 => TestEvent.At(EventTime(i), LogEventLevel.Error, "Order {OrderId} failed",
                i % 20 == 0 ? new InvalidOperationException("Payment declined") : new TimeoutException("Gateway timed out"), traceId, properties.ToArray()),
            1 => TestEvent.At(EventTime(i), LogEventLevel.Warning, "Order {OrderId} is slow", null, traceId, properties.ToArray()),
            2 => TestEvent.At(EventTime(i), LogEventLevel.Debug, "Cache miss for order {OrderId}", null, traceId, properties.ToArray()),
            _ => TestEvent.At(EventTime(i), LogEventLevel.Information, "Order {OrderId} placed by {Customer}", null, traceId, properties.ToArray()),
        };
    }
}
