using System.Globalization;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// A property condition as people type it: <c>Name=Value</c>, <c>$.Json.Path=Value</c>, or just <c>Name</c> for the
/// events that have the property.
/// </summary>
static class PropertyCondition
{
    /// <summary><c>Name=Value</c>: a value that reads as a number or a Boolean is compared as one, as the JSON holds it.</summary>
    public static (string Path, object? Value) Parse(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
            return (text, null);

        var path = text[..equals];
        var value = text[(equals + 1)..];
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            return (path, value[1..^1]);
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return (path, integer);
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            return (path, real);
        if (bool.TryParse(value, out var boolean))
            return (path, boolean);
        return (path, value);
    }
}
