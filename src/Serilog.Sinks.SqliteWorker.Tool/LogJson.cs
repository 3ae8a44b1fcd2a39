using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Serilog.Sinks.SqliteWorker.Query;

namespace Serilog.Sinks.SqliteWorker.Tool;

/// <summary>
/// Events as JSON Lines: one object per line, with every column of the SQL contract. The serializer escapes every
/// control character; <see cref="TerminalText.EscapeJson"/> escapes the bidirectional marks it leaves.
/// </summary>
sealed class LogJson(TimeFormat time)
{
    // Output for terminals and files, not HTML: non-ASCII text and '<' stay readable.
    static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    readonly ArrayBufferWriter<byte> _buffer = new();

    public void Write(TextWriter output, LogRecord record)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer, Options))
        {
            json.WriteStartObject();
            json.WriteNumber("id", record.Id);
            json.WriteString("timestamp", time.FormatIso(record.Timestamp));
            json.WriteString("level", record.Level.ToString());
            json.WriteString("sourceContext", record.SourceContext);
            json.WriteString("message", record.Message);
            json.WriteString("messageTemplate", record.MessageTemplate);
            json.WriteString("exception", record.Exception);
            if (record.ThreadId is { } threadId)
                json.WriteNumber("threadId", threadId);
            else
                json.WriteNull("threadId");
            json.WriteString("traceId", record.TraceId);
            json.WriteString("spanId", record.SpanId);
            json.WritePropertyName("properties");
            record.Properties.WriteTo(json);
            json.WriteEndObject();
        }

        output.WriteLine(TerminalText.EscapeJson(Encoding.UTF8.GetString(_buffer.WrittenSpan)));
    }
}
