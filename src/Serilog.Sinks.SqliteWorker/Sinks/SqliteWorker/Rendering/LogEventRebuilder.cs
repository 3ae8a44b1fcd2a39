using System.Diagnostics;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Rebuilds the event a queued row was rendered from, for failure listeners (such as <c>WriteTo.Fallible</c> and
/// fallback chains) when the row cannot be written. The queue keeps rows, not events, so that queued events cost the
/// garbage collector nothing; a failure is rare and pays for the rebuild instead. The timestamp, level, template,
/// exception and trace and span ids are the event's own; properties are read back from the row's JSON, so a value
/// comes back as the scalar, sequence or structure it was rendered as (a <c>DateTime</c> as its text, a dictionary as
/// a structure), and the source context and thread id from their columns.
/// </summary>
static class LogEventRebuilder
{
    /// <param name="values">The row's values, at the ordinals of <see cref="LogColumns"/>.</param>
    /// <param name="timestamp">The event's timestamp.</param>
    /// <param name="level">The event's level.</param>
    /// <param name="template">The event's message template.</param>
    /// <param name="exception">The event's exception, if any.</param>
    public static LogEvent FromLogRow(object[] values, DateTimeOffset timestamp, LogEventLevel level, MessageTemplate template,
        Exception? exception)
    {
        var properties = PropertiesJsonReader.Read(values[LogColumns.Ordinal.Properties] as string ?? "{}");
        if (values[LogColumns.Ordinal.SourceContext] is string sourceContext)
            properties.Add(new LogEventProperty(LogRowWriter.SourceContextPropertyName, new ScalarValue(sourceContext)));
        if (values[LogColumns.Ordinal.ThreadId] is long threadId)
            properties.Add(new LogEventProperty(LogRowWriter.ThreadIdPropertyName,
                new ScalarValue(threadId is >= int.MinValue and <= int.MaxValue ? (int)threadId : (object)threadId)));

        return new LogEvent(timestamp, level, exception, template, properties,
            values[LogColumns.Ordinal.TraceId] is string traceId && traceId.Length == 32 ? ActivityTraceId.CreateFromString(traceId) : default,
            values[LogColumns.Ordinal.SpanId] is string spanId && spanId.Length == 16 ? ActivitySpanId.CreateFromString(spanId) : default);
    }

    /// <param name="values">The row's values, at the ordinals of <see cref="MetricColumns"/>.</param>
    /// <param name="timestamp">The event's timestamp.</param>
    /// <param name="level">The event's level.</param>
    /// <param name="template">The metric event's message template.</param>
    /// <param name="exception">The event's exception, if any.</param>
    public static LogEvent FromMetricRow(object[] values, DateTimeOffset timestamp, LogEventLevel level, MessageTemplate template,
        Exception? exception)
    {
        var properties = PropertiesJsonReader.Read(values[MetricColumns.Ordinal.Properties] as string ?? "{}");
        properties.Add(new LogEventProperty(MetricEvent.NamePropertyName, new ScalarValue(values[MetricColumns.Ordinal.Name])));
        properties.Add(new LogEventProperty(MetricEvent.ValuePropertyName, new ScalarValue(values[MetricColumns.Ordinal.Value])));
        if (values[MetricColumns.Ordinal.Unit] is string unit)
            properties.Add(new LogEventProperty(MetricEvent.UnitPropertyName, new ScalarValue(unit)));
        return new LogEvent(timestamp, level, exception, template, properties);
    }
}
