using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Turns a metric event into a row of the metrics table. It reuses its buffer, so an instance belongs to one thread at a time.</summary>
sealed class MetricRowWriter
{
    /// <summary>The metrics table's columns, in the order of the values in a row.</summary>
    public const int Columns = 5;

    readonly PropertiesJson _json = new();

    /// <summary>Fills the row; false, leaving it to be reused, when the event no longer holds a usable name and value.</summary>
    public bool TryWrite(LogEvent logEvent, RenderedRow row)
    {
        if (!MetricEvent.TryRead(logEvent, out var name, out var value, out var unit))
            return false;

        // In column order; the name and unit are the event's own strings, kept by reference.
        TimestampText.Write(row.StartText(0, TimestampText.Length), logEvent.Timestamp);
        row.SetValue(1, name);
        row.SetValue(2, value);
        row.SetValue(3, unit ?? (object)DBNull.Value);
        row.SetText(4, EventText.RenderProperties(_json, logEvent.Properties,
            [MetricEvent.NamePropertyName, MetricEvent.ValuePropertyName, MetricEvent.UnitPropertyName]));
        return true;
    }
}
