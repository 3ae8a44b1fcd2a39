using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// The warning for an event whose properties column the helper could not read as a JSON object and handed on as its
/// raw text: the event is still shown, and standard error says why its properties look different.
/// </summary>
static class UnreadableProperties
{
    public static void Warn(TextWriter error, LogRecord record)
    {
        if (record.Properties.ValueKind == JsonValueKind.Object)
            return;

        error.WriteLine($"{SqliteLogsApp.Name}: warning: event {record.Id}: its properties are not a JSON object that can be read " +
                        "(nested deeper than 64 levels, or malformed); --json and export give their raw text as a JSON string.");
    }
}
