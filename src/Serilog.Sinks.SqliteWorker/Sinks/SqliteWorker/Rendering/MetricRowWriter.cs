using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Turns a metric event into a row of the metrics table. It reuses its buffer, so an instance belongs to one thread at a time.</summary>
sealed class MetricRowWriter
{
    /// <summary>The number of values in a metric row.</summary>
    public const int Columns = MetricColumns.Count;

    readonly PropertiesJson _json = new();

    /// <summary>Fills the row; false, leaving it to be reused, when the event no longer holds a usable name and value.</summary>
    public bool TryWrite(LogEvent logEvent, RenderedRow row)
    {
        if (!MetricEvent.TryRead(logEvent, out var name, out var value, out var unit))
            return false;

        // In column order; the name and unit are the event's own strings, kept by reference.
        TimestampText.Write(row.StartText(MetricColumns.Ordinal.Timestamp, TimestampText.Length), logEvent.Timestamp);
        row.SetValue(MetricColumns.Ordinal.Name, name);
        row.SetValue(MetricColumns.Ordinal.Value, value);
        row.SetValue(MetricColumns.Ordinal.Unit, unit ?? (object)DBNull.Value);
        row.SetText(MetricColumns.Ordinal.Properties, GuardedRendering.RenderProperties(_json, logEvent.Properties,
            [MetricEvent.NamePropertyName, MetricEvent.ValuePropertyName, MetricEvent.UnitPropertyName]));
        return true;
    }
}
