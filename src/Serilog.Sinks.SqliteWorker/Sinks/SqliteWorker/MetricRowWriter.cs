using System.Data.SQLite;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Turns a metric event into a row of the metrics table.</summary>
sealed class MetricRowWriter(SQLiteConnection connection, TableSchema table, PropertiesJson json) : IDisposable
{
    readonly RowInsert _insert = new(connection, table);

    /// <summary>Writes the row; false, writing nothing, when the event no longer holds a usable name and value.</summary>
    public bool TryWrite(LogEvent logEvent)
    {
        if (!MetricEvent.TryRead(logEvent, out var name, out var value, out var unit))
            return false;

        _insert.Set(0, TimestampText.Format(logEvent.Timestamp));
        _insert.Set(1, name);
        _insert.Set(2, value);
        _insert.Set(3, unit);
        _insert.Set(4, EventText.RenderProperties(json, logEvent.Properties,
            [MetricEvent.NamePropertyName, MetricEvent.ValuePropertyName, MetricEvent.UnitPropertyName]));
        _insert.Execute();
        return true;
    }

    public void Dispose() => _insert.Dispose();
}
