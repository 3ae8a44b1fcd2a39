using System.Globalization;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Turns an ordinary event into a row of the logs table. It reuses its buffers, so an instance belongs to one thread at
/// a time. Values go by column ordinal; extra columns, such as custom columns, follow the default ones.
/// </summary>
sealed class LogRowWriter(IFormatProvider? formatProvider, IReadOnlyList<PropertyColumn> customColumns)
{
    const int CustomColumnsStart = 10;

    const string SourceContextPropertyName = Serilog.Core.Constants.SourceContextPropertyName;
    const string ThreadIdPropertyName = "ThreadId";

    static readonly string[] LevelNames = Enum.GetNames<LogEventLevel>();
    // Thread ids are small numbers seen again and again: boxed once, not once per row.
    static readonly object[] SmallNumbers = Enumerable.Range(0, 1024).Select(i => (object)(long)i).ToArray();

    readonly PropertiesJson _json = new();
    readonly StringWriter _message = new(CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether a column's text belongs to objects that outlive the event: the level's name, the source context (one
    /// string per logger) and the template's text, which the queue keeps by reference instead of copying.
    /// </summary>
    public static bool IsSharedText(int column) => column is 1 or 2 or 4;

    public void Write(LogEvent logEvent, Span<object> row)
    {
        var properties = logEvent.Properties;

        var sourceContext = properties.TryGetValue(SourceContextPropertyName, out var sc) && sc is ScalarValue { Value: string context }
            ? context
            : null;
        long? threadId = properties.TryGetValue(ThreadIdPropertyName, out var tid) && tid is ScalarValue scalar
            ? scalar.Value switch { int i => i, long l => l, _ => null }
            : null;

        row[0] = TimestampText.Format(logEvent.Timestamp);
        row[1] = LevelName(logEvent.Level);
        row[2] = sourceContext ?? (object)DBNull.Value;
        row[3] = EventText.RenderMessage(logEvent, formatProvider, _message);
        row[4] = logEvent.MessageTemplate.Text;
        row[5] = EventText.DescribeException(logEvent.Exception) ?? (object)DBNull.Value;
        row[6] = threadId is { } id ? Box(id) : DBNull.Value;
        row[7] = logEvent.TraceId?.ToHexString() ?? (object)DBNull.Value;
        row[8] = logEvent.SpanId?.ToHexString() ?? (object)DBNull.Value;
        row[9] = EventText.RenderProperties(_json, properties,
            [sourceContext != null ? SourceContextPropertyName : null, threadId != null ? ThreadIdPropertyName : null]);

        for (var i = 0; i < customColumns.Count; i++)
            row[CustomColumnsStart + i] = customColumns[i].ValueOf(properties, _json) ?? DBNull.Value;
    }

    static object Box(long value) => (ulong)value < (ulong)SmallNumbers.Length ? SmallNumbers[value] : value;

    static string LevelName(LogEventLevel level) =>
        (uint)level < (uint)LevelNames.Length ? LevelNames[(int)level] : ((int)level).ToString(CultureInfo.InvariantCulture);
}
