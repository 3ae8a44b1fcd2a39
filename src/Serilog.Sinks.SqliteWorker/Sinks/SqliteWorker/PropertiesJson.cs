using System.Text;
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
    /// <returns>The JSON object: this instance's own buffer, valid until it is next used.</returns>
    public StringBuilder Render(IReadOnlyDictionary<string, LogEventPropertyValue> properties, ReadOnlySpan<string?> omitted)
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
            ScalarText.WriteJson(value, _valueFormatter, _buffer);
        }

        _buffer.Write(delimiter == '{' ? EmptyObject : "}");
        return _buffer.GetStringBuilder();
    }

    /// <summary>Renders an object with one <c>$error</c> member holding <paramref name="message"/>, in place of properties that could not be rendered.</summary>
    public StringBuilder RenderError(string message)
    {
        EventText.Reset(_buffer);
        _buffer.Write("{\"$error\":");
        JsonValueFormatter.WriteQuotedJsonString(message, _buffer);
        _buffer.Write('}');
        return _buffer.GetStringBuilder();
    }

    /// <summary>Renders one property value as JSON, as it appears in the properties column.</summary>
    public string RenderValue(LogEventPropertyValue value)
    {
        EventText.Reset(_buffer);
        _valueFormatter.Format(value, _buffer);
        return _buffer.ToString();
    }
}
