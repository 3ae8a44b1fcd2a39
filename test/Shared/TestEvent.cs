using System.Diagnostics;
using Serilog.Events;
using Serilog.Parsing;

namespace Serilog.Sinks.SqliteWorker.Testing;

/// <summary>Events made by hand, for what a logger cannot give: a chosen time, trace id or exception.</summary>
static class TestEvent
{
    static readonly MessageTemplateParser Parser = new();

    /// <summary>An event at <paramref name="timestamp"/>, with a random span id when it has a trace id.</summary>
    public static LogEvent At(DateTimeOffset timestamp, LogEventLevel level, string template, Exception? exception = null,
        ActivityTraceId? traceId = null, params (string Name, object? Value)[] properties) =>
        new(timestamp, level, exception, Parser.Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))),
            traceId ?? default, traceId == null ? default : ActivitySpanId.CreateRandom());
}
