using System.Diagnostics;
using System.Globalization;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Turns an ordinary event into a row of the logs table. It reuses its buffers, so an instance belongs to one thread at
/// a time. Values go by the ordinals of <see cref="LogColumns"/>; custom columns follow the default ones.
/// </summary>
sealed class LogRowWriter(IFormatProvider? formatProvider, IReadOnlyList<PropertyColumn> customColumns)
{
    /// <summary>The property stored in the source_context column, and left out of the JSON when it is a string.</summary>
    public const string SourceContextPropertyName = Serilog.Core.Constants.SourceContextPropertyName;

    /// <summary>The property stored in the thread_id column, and left out of the JSON when it is a number.</summary>
    public const string ThreadIdPropertyName = "ThreadId";

    static readonly string[] LevelNames = Enum.GetNames<LogEventLevel>();
    // Thread ids are small numbers seen again and again: boxed once, not once per row.
    static readonly object[] SmallNumbers = Enumerable.Range(0, 1024).Select(i => (object)(long)i).ToArray();

    readonly PropertiesJson _json = new();
    readonly StringWriter _message = new(CultureInfo.InvariantCulture);

    public void Write(LogEvent logEvent, RenderedRow row)
    {
        var properties = logEvent.Properties;

        var sourceContext = properties.TryGetValue(SourceContextPropertyName, out var sc) && sc is ScalarValue { Value: string context }
            ? context
            : null;
        long? threadId = properties.TryGetValue(ThreadIdPropertyName, out var tid) && tid is ScalarValue scalar
            ? scalar.Value switch { int i => i, long l => l, _ => null }
            : null;

        // In column order, text written into the row's buffer; the level name, source context and template text belong
        // to objects that outlive the event and are kept by reference.
        TimestampText.Write(row.StartText(LogColumns.Ordinal.Timestamp, TimestampText.Length), logEvent.Timestamp);
        row.SetValue(LogColumns.Ordinal.Level, LevelName(logEvent.Level));
        row.SetValue(LogColumns.Ordinal.SourceContext, sourceContext ?? (object)DBNull.Value);
        row.SetText(LogColumns.Ordinal.Message, GuardedRendering.RenderMessage(logEvent, formatProvider, _message));
        row.SetValue(LogColumns.Ordinal.MessageTemplate, logEvent.MessageTemplate.Text);
        if (GuardedRendering.DescribeException(logEvent.Exception) is { } exception)
            row.SetText(LogColumns.Ordinal.Exception, exception);
        else
            row.SetValue(LogColumns.Ordinal.Exception, DBNull.Value);
        row.SetValue(LogColumns.Ordinal.ThreadId, threadId is { } id ? Box(id) : DBNull.Value);
        if (logEvent.TraceId is { } traceId)
            WriteHex(row, LogColumns.Ordinal.TraceId, traceId);
        else
            row.SetValue(LogColumns.Ordinal.TraceId, DBNull.Value);
        if (logEvent.SpanId is { } spanId)
            WriteHex(row, LogColumns.Ordinal.SpanId, spanId);
        else
            row.SetValue(LogColumns.Ordinal.SpanId, DBNull.Value);
        row.SetText(LogColumns.Ordinal.Properties, GuardedRendering.RenderProperties(_json, properties,
            [sourceContext != null ? SourceContextPropertyName : null, threadId != null ? ThreadIdPropertyName : null]));

        for (var i = 0; i < customColumns.Count; i++)
        {
            var value = customColumns[i].ValueOf(properties, _json);
            if (value is string text)
                row.SetText(LogColumns.Count + i, text);
            else
                row.SetValue(LogColumns.Count + i, value ?? DBNull.Value);
        }
    }

    // The same lower-case hex as ToHexString(), written in place.
    static void WriteHex(RenderedRow row, int column, ActivityTraceId id)
    {
        Span<byte> bytes = stackalloc byte[16];
        id.CopyTo(bytes);
        Convert.TryToHexStringLower(bytes, row.StartText(column, 32), out _);
    }

    static void WriteHex(RenderedRow row, int column, ActivitySpanId id)
    {
        Span<byte> bytes = stackalloc byte[8];
        id.CopyTo(bytes);
        Convert.TryToHexStringLower(bytes, row.StartText(column, 16), out _);
    }

    static object Box(long value) => (ulong)value < (ulong)SmallNumbers.Length ? SmallNumbers[value] : value;

    static string LevelName(LogEventLevel level) =>
        (uint)level < (uint)LevelNames.Length ? LevelNames[(int)level] : ((int)level).ToString(CultureInfo.InvariantCulture);
}
