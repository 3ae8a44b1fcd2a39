using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Turns a metric event into a row of the metrics table. It reuses its buffer, so an instance belongs to one thread at a time.</summary>
sealed class MetricRowWriter
{
    /// <summary>The metrics table's columns, in the order of the values in a row.</summary>
    public const int Columns = 5;

    readonly PropertiesJson _json = new();

    /// <summary>Whether a column's text belongs to objects that outlive the event: the metric's name and unit.</summary>
    public static bool IsSharedText(int column) => column is 1 or 3;

    /// <summary>Fills the row; false, leaving it to be reused, when the event no longer holds a usable name and value.</summary>
    public bool TryWrite(LogEvent logEvent, Span<object> row)
    {
        if (!MetricEvent.TryRead(logEvent, out var name, out var value, out var unit))
            return false;

        row[0] = TimestampText.Format(logEvent.Timestamp);
        row[1] = name;
        row[2] = value;
        row[3] = unit ?? (object)DBNull.Value;
        row[4] = EventText.RenderProperties(_json, logEvent.Properties,
            [MetricEvent.NamePropertyName, MetricEvent.ValuePropertyName, MetricEvent.UnitPropertyName]);
        return true;
    }
}
