using System.Globalization;
using Serilog.Events;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The message and the properties' JSON as Serilog renders them, with the common scalars (strings, numbers, times)
/// formatted straight into the output instead of into a string each, which Serilog's renderers make for every number.
/// Anything else, and any case where the two could differ, goes to Serilog's own renderer: a token with an alignment,
/// a value of any other type or of a derived <see cref="ScalarValue"/>, a string holding a quote, a format provider
/// with a custom formatter. Tests compare the output with Serilog's for each case.
/// </summary>
static class ScalarFastPath
{
    // Enough for any of the types below in any standard format; a custom format that needs more goes to Serilog.
    const int FormattedCharacters = 128;

    /// <summary>Renders the message as <see cref="MessageTemplate.Render(IReadOnlyDictionary{string, LogEventPropertyValue}, TextWriter, IFormatProvider?)"/> does.</summary>
    public static void RenderMessage(MessageTemplate template, IReadOnlyDictionary<string, LogEventPropertyValue> properties, TextWriter output,
        IFormatProvider? formatProvider)
    {
        if (template.Tokens is not MessageTemplateToken[] tokens || formatProvider?.GetFormat(typeof(ICustomFormatter)) != null)
        {
            template.Render(properties, output, formatProvider);
            return;
        }

        foreach (var token in tokens)
        {
            if (token is TextToken text)
                output.Write(text.Text);
            else if (token is not PropertyToken { Alignment: null } property
                     || !properties.TryGetValue(property.PropertyName, out var value)
                     || value.GetType() != typeof(ScalarValue)
                     || !TryWriteMessageScalar(((ScalarValue)value).Value, property.Format, formatProvider ?? CultureInfo.InvariantCulture, output))
                token.Render(properties, output, formatProvider);
        }
    }

    /// <summary>Writes a property's value as <see cref="JsonValueFormatter"/> does.</summary>
    public static void WriteJson(LogEventPropertyValue value, JsonValueFormatter formatter, TextWriter output)
    {
        if (value.GetType() != typeof(ScalarValue) || !TryWriteJsonScalar(((ScalarValue)value).Value, output))
            formatter.Format(value, output);
    }

    // As ScalarValue.Render: null as null, a string in double quotes unless the format is "l", anything formattable
    // with the format and provider given.
    static bool TryWriteMessageScalar(object? value, string? format, IFormatProvider formatProvider, TextWriter output)
    {
        switch (value)
        {
            case null:
                output.Write("null");
                return true;
            case string text when format == "l":
                output.Write(text);
                return true;
            case string text:
                // Serilog escapes quotes inside; rare enough to leave to it.
                if (text.Contains('"'))
                    return false;
                output.Write('"');
                output.Write(text);
                output.Write('"');
                return true;
            // Types whose TryFormat writes what their ToString(format, provider) returns; a user's type might not. The
            // commonest by their own type, so that the call is direct; the rest through the interface.
            case int number: return TryWrite(number, format, formatProvider, output);
            case long number: return TryWrite(number, format, formatProvider, output);
            case double number: return TryWrite(number, format, formatProvider, output);
            case decimal or float or short or uint or ulong or DateTime or DateTimeOffset or TimeSpan or Guid:
                return TryWrite((ISpanFormattable)value, format, formatProvider, output);
            default:
                return false;
        }
    }

    // As JsonValueFormatter: null, strings quoted and escaped, booleans, and integers and finite floating-point numbers
    // in the invariant culture, doubles round-trippable.
    static bool TryWriteJsonScalar(object? value, TextWriter output)
    {
        switch (value)
        {
            case null:
                output.Write("null");
                return true;
            case string text:
                JsonValueFormatter.WriteQuotedJsonString(text, output);
                return true;
            case bool flag:
                output.Write(flag ? "true" : "false");
                return true;
            case int number: return TryWrite(number, null, CultureInfo.InvariantCulture, output);
            case long number: return TryWrite(number, null, CultureInfo.InvariantCulture, output);
            case double number when double.IsFinite(number):
                return TryWrite(number, "R", CultureInfo.InvariantCulture, output);
            default:
                return false;
        }
    }

    // T is the value's own type, or the interface for a value boxed already in its ScalarValue: no allocation either way.
    static bool TryWrite<T>(T value, string? format, IFormatProvider formatProvider, TextWriter output) where T : ISpanFormattable
    {
        Span<char> buffer = stackalloc char[FormattedCharacters];
        if (!value.TryFormat(buffer, out var written, format, formatProvider))
            return false;

        output.Write(buffer[..written]);
        return true;
    }
}
