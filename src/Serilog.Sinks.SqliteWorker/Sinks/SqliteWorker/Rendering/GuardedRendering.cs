using System.Text;
using Serilog.Debugging;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Renders the text parts of a row. Rendering runs user code (ToString of property values and exceptions); when that
/// throws, the row is still written with a note in place of the text, because one bad event must not fail a batch.
/// </summary>
static class GuardedRendering
{
    /// <summary>
    /// The most room a buffer reused event after event keeps between events; beyond it, what one large event made it
    /// take is given back. Every logging thread has buffers of its own, so none should keep the largest message it ever
    /// rendered.
    /// </summary>
    public const int LargestKeptCharacters = 16 * 1024;
    const int InitialCharacters = 256;

    /// <summary>Empties a buffer reused event after event, and shrinks it if one large event made it grow.</summary>
    public static void Reset(StringWriter buffer)
    {
        var text = buffer.GetStringBuilder();
        text.Clear();
        if (text.Capacity > LargestKeptCharacters)
            text.Capacity = InitialCharacters;
    }

    /// <param name="logEvent">The event whose message is rendered.</param>
    /// <param name="formatProvider">Culture-specific formatting for the message, or null.</param>
    /// <param name="buffer">A writer reused event after event; it is cleared here.</param>
    /// <returns>The rendered message: the buffer's own text, valid until the buffer is next used.</returns>
    public static StringBuilder RenderMessage(LogEvent logEvent, IFormatProvider? formatProvider, StringWriter buffer)
    {
        try
        {
            Reset(buffer);
            ScalarFastPath.RenderMessage(logEvent.MessageTemplate, logEvent.Properties, buffer, formatProvider);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("Rendering the message of an event with template {0} failed; its template was stored instead: {1}",
                logEvent.MessageTemplate.Text, ex);
            Reset(buffer);
            buffer.Write(logEvent.MessageTemplate.Text);
        }

        return buffer.GetStringBuilder();
    }

    /// <returns>The JSON object, or an error object when rendering failed: the JSON writer's own text, valid until it is
    /// next used.</returns>
    public static StringBuilder RenderProperties(PropertiesJson json, IReadOnlyDictionary<string, LogEventPropertyValue> properties,
        ReadOnlySpan<string?> omitted)
    {
        try
        {
            return json.Render(properties, omitted);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("Rendering the properties of an event as JSON failed; an error object was stored instead: {0}", ex);
            return json.RenderError($"rendering the properties failed: {ex.GetType().FullName}: {ex.Message}");
        }
    }

    public static string? DescribeException(Exception? exception)
    {
        if (exception == null)
            return null;

        try
        {
            return exception.ToString();
        }
        catch (Exception ex)
        {
            return $"{exception.GetType().FullName} (its ToString() threw {ex.GetType().FullName}: {ex.Message})";
        }
    }
}
