using System.Globalization;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Viewer;

/// <summary>
/// The JSON the page reads, written field by field. Text from the file goes out as JSON strings, which the page only
/// ever puts into the DOM as text.
/// </summary>
static class ViewerJson
{
    // A list row carries the start of a long message; the detail carries all of it.
    internal const int ListMessageLength = 2000;

    static readonly JsonWriterOptions Options = new() { Indented = false };

    public static void WriteRow(Utf8JsonWriter json, LogRecord row, TimeFormat time)
    {
        json.WriteStartObject();
        json.WriteNumber("id", row.Id);
        json.WriteString("time", time.Format(row.Timestamp));
        json.WriteString("level", row.Level.ToString());
        json.WriteString("short", LevelName.Short(row.Level));
        json.WriteString("source", row.SourceContext);
        json.WriteString("message", row.Message.Length > ListMessageLength ? row.Message[..ListMessageLength] + "…" : row.Message);
        json.WriteBoolean("exception", row.Exception != null);
        json.WriteString("trace", row.TraceId);
        json.WriteEndObject();
    }

    public static byte[] Page(IReadOnlyList<LogRecord> rows, int pageSize, TimeFormat time) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteStartArray("rows");
        foreach (var row in rows)
            WriteRow(json, row, time);
        json.WriteEndArray();
        json.WriteBoolean("more", rows.Count >= pageSize);
        if (rows.Count > 0)
        {
            json.WriteString("lastTime", rows[^1].Timestamp.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("lastId", rows[^1].Id);
        }

        json.WriteEndObject();
    });

    public static byte[] Row(LogRecord row, TimeFormat time) => Write(json => WriteRow(json, row, time));

    public static byte[] Detail(LogRecord row, TimeFormat time) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteNumber("id", row.Id);
        json.WriteString("time", time.Format(row.Timestamp));
        json.WriteString("timestamp", row.Timestamp.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("level", row.Level.ToString());
        json.WriteString("short", LevelName.Short(row.Level));
        json.WriteString("source", row.SourceContext);
        json.WriteString("message", row.Message);
        json.WriteString("template", row.MessageTemplate);
        json.WriteString("exception", row.Exception);
        if (row.ThreadId is { } thread)
            json.WriteNumber("thread", thread);
        else
            json.WriteNull("thread");
        json.WriteString("trace", row.TraceId);
        json.WriteString("span", row.SpanId);
        json.WritePropertyName("properties");
        row.Properties.WriteTo(json);
        json.WriteEndObject();
    });

    public static byte[] Metrics(IReadOnlyList<GroupCount<string>> names) => Write(json =>
    {
        json.WriteStartArray();
        foreach (var name in names)
        {
            json.WriteStartObject();
            json.WriteString("name", name.Key);
            json.WriteNumber("count", name.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    });

    public static byte[] Error(string message) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("error", message);
        json.WriteEndObject();
    });

    static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Options))
            write(json);
        return buffer.WrittenSpan.ToArray();
    }
}
