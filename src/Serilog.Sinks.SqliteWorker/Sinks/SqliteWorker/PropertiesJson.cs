using Serilog.Events;
using Serilog.Formatting.Json;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Renders an event's properties as one JSON object, leaving out those stored in columns of their own. It reuses one
/// buffer, so an instance belongs to one thread at a time.
/// </summary>
sealed class PropertiesJson
{
    const string EmptyObject = "{}";

    readonly JsonValueFormatter _valueFormatter = new(typeTagName: "$type");
    readonly StringWriter _buffer = new(System.Globalization.CultureInfo.InvariantCulture);

    /// <param name="properties">The event's properties.</param>
    /// <param name="omitted">Names of properties stored in columns of their own; null entries are ignored.</param>
    public string Render(IReadOnlyDictionary<string, LogEventPropertyValue> properties, ReadOnlySpan<string?> omitted)
    {
        EventText.Reset(_buffer);
        var delimiter = '{';
        foreach (var (name, value) in properties)
        {
            if (omitted.Contains(name))
                continue;

            _buffer.Write(delimiter);
            delimiter = ',';
            JsonValueFormatter.WriteQuotedJsonString(name, _buffer);
            _buffer.Write(':');
            _valueFormatter.Format(value, _buffer);
        }

        if (delimiter == '{')
            return EmptyObject;

        _buffer.Write('}');
        return _buffer.ToString();
    }

    /// <summary>Renders one property value as JSON, as it appears in the properties column.</summary>
    public string RenderValue(LogEventPropertyValue value)
    {
        EventText.Reset(_buffer);
        _valueFormatter.Format(value, _buffer);
        return _buffer.ToString();
    }
}
