using System.Text;
using Serilog.Events;
using Serilog.Formatting.Json;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Renders an event's properties as one JSON object, leaving out those stored in columns of their own. It reuses one
/// buffer, so an instance belongs to one thread at a time.
/// </summary>
/// <remarks>
/// Nesting is bounded by <see cref="MaxDepth"/>: a value that opens deeper is stored as a JSON string holding its
/// rendered text, and the object gets a <see cref="FlattenedPropertyName"/> member naming the properties that hold one.
/// </remarks>
sealed class PropertiesJson
{
    /// <summary>
    /// The deepest the properties object nests, counting the object itself as level 1. A row of a JSON Lines export
    /// wraps it in one more object, which then stays within System.Text.Json's default limit of 64; SQLite's JSON
    /// functions read up to 1000.
    /// </summary>
    public const int MaxDepth = 63;

    /// <summary>The member, last in the object, listing the properties whose values were flattened past <see cref="MaxDepth"/>.</summary>
    public const string FlattenedPropertyName = "$flattened";

    const string EmptyObject = "{}";

    readonly DepthLimitedJsonValueFormatter _valueFormatter = new();
    readonly StringWriter _buffer = new(System.Globalization.CultureInfo.InvariantCulture);
    readonly List<string> _flattened = [];

    /// <param name="properties">The event's properties.</param>
    /// <param name="omitted">Names of properties stored in columns of their own; null entries are ignored.</param>
    /// <returns>The JSON object: this instance's own buffer, valid until it is next used.</returns>
    public StringBuilder Render(IReadOnlyDictionary<string, LogEventPropertyValue> properties, ReadOnlySpan<string?> omitted)
    {
        GuardedRendering.Reset(_buffer);
        _flattened.Clear();
        var delimiter = '{';
        foreach (var (name, value) in properties)
        {
            if (omitted.Contains(name))
                continue;

            _buffer.Write(delimiter);
            delimiter = ',';
            JsonValueFormatter.WriteQuotedJsonString(name, _buffer);
            _buffer.Write(':');
            _valueFormatter.Start(depth: 1);
            ScalarFastPath.WriteJson(value, _valueFormatter, _buffer);
            if (_valueFormatter.Flattened)
                _flattened.Add(name);
        }

        if (_flattened.Count > 0)
            WriteFlattened();
        _buffer.Write(delimiter == '{' ? EmptyObject : "}");
        return _buffer.GetStringBuilder();
    }

    /// <summary>Renders an object with one <c>$error</c> member holding <paramref name="message"/>, in place of properties that could not be rendered.</summary>
    public StringBuilder RenderError(string message)
    {
        GuardedRendering.Reset(_buffer);
        _buffer.Write("{\"$error\":");
        JsonValueFormatter.WriteQuotedJsonString(message, _buffer);
        _buffer.Write('}');
        return _buffer.GetStringBuilder();
    }

    /// <summary>Renders one property value as JSON, as it appears in the properties column.</summary>
    public string RenderValue(LogEventPropertyValue value)
    {
        GuardedRendering.Reset(_buffer);
        _valueFormatter.Start(depth: 1);
        _valueFormatter.Format(value, _buffer);
        return _buffer.ToString();
    }

    void WriteFlattened()
    {
        _buffer.Write(',');
        JsonValueFormatter.WriteQuotedJsonString(FlattenedPropertyName, _buffer);
        _buffer.Write(":[");
        for (var i = 0; i < _flattened.Count; i++)
        {
            if (i > 0)
                _buffer.Write(',');
            JsonValueFormatter.WriteQuotedJsonString(_flattened[i], _buffer);
        }

        _buffer.Write(']');
        // The names are the event's own strings; the list is not left holding them.
        _flattened.Clear();
    }
}
