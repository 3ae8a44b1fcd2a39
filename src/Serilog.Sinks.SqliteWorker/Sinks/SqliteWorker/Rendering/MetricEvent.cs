using System.Diagnostics;
using Serilog.Events;
using Serilog.Parsing;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Builds and recognises metric events. A metric event is an ordinary Serilog event, so every other sink shows it as
/// text; this sink recognises it by the identity of its message template, an instance no other code can obtain, so an
/// event that merely has a <c>MetricName</c> property is never mistaken for one.
/// </summary>
static class MetricEvent
{
    public const string NamePropertyName = "MetricName";
    public const string ValuePropertyName = "MetricValue";
    public const string UnitPropertyName = "MetricUnit";

    // Parsed here rather than through a logger, so that the instances are not shared with Serilog's template cache.
    static readonly MessageTemplate WithUnit =
        new MessageTemplateParser().Parse($"Metric {{{NamePropertyName}:l}} = {{{ValuePropertyName}}} {{{UnitPropertyName}:l}}");
    static readonly MessageTemplate WithoutUnit =
        new MessageTemplateParser().Parse($"Metric {{{NamePropertyName}:l}} = {{{ValuePropertyName}}}");

    public static bool IsMetric(LogEvent logEvent) =>
        ReferenceEquals(logEvent.MessageTemplate, WithUnit) || ReferenceEquals(logEvent.MessageTemplate, WithoutUnit);

    public static LogEvent Create(string name, double value, string? unit)
    {
        var activity = Activity.Current;
        LogEventProperty[] properties = unit == null
            ? [new(NamePropertyName, new ScalarValue(name)), new(ValuePropertyName, new ScalarValue(value))]
            : [new(NamePropertyName, new ScalarValue(name)), new(ValuePropertyName, new ScalarValue(value)), new(UnitPropertyName, new ScalarValue(unit))];
        return new LogEvent(
            DateTimeOffset.Now,
            LogEventLevel.Information,
            exception: null,
            unit == null ? WithoutUnit : WithUnit,
            properties,
            activity?.TraceId ?? default,
            activity?.SpanId ?? default);
    }

    /// <summary>Reads a metric event's name, value and unit; false when the event was altered into something unusable.</summary>
    public static bool TryRead(LogEvent logEvent, out string name, out double value, out string? unit)
    {
        var properties = logEvent.Properties;
        name = "";
        value = 0;
        unit = null;

        if (!properties.TryGetValue(NamePropertyName, out var n) || n is not ScalarValue { Value: string nameText } ||
            string.IsNullOrWhiteSpace(nameText))
            return false;

        if (!properties.TryGetValue(ValuePropertyName, out var v) || v is not ScalarValue { Value: double number } ||
            !double.IsFinite(number))
            return false;

        name = nameText;
        value = number;
        unit = properties.TryGetValue(UnitPropertyName, out var u) && u is ScalarValue { Value: string unitText } ? unitText : null;
        return true;
    }
}
