using System.Data.SQLite;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Turns an ordinary event into a row of the logs table.</summary>
sealed class LogRowWriter(SQLiteConnection connection, TableSchema table, PropertiesJson json, IFormatProvider? formatProvider)
    : IDisposable
{
    const string SourceContextPropertyName = Serilog.Core.Constants.SourceContextPropertyName;
    const string ThreadIdPropertyName = "ThreadId";

    static readonly string[] LevelNames = Enum.GetNames<LogEventLevel>();

    readonly RowInsert _insert = new(connection, table);

    public void Write(LogEvent logEvent)
    {
        var properties = logEvent.Properties;

        var sourceContext = properties.TryGetValue(SourceContextPropertyName, out var sc) && sc is ScalarValue { Value: string context }
            ? context
            : null;
        long? threadId = properties.TryGetValue(ThreadIdPropertyName, out var tid) && tid is ScalarValue scalar
            ? scalar.Value switch { int i => i, long l => l, _ => null }
            : null;

        _insert.Set(0, TimestampText.Format(logEvent.Timestamp));
        _insert.Set(1, LevelName(logEvent.Level));
        _insert.Set(2, sourceContext);
        _insert.Set(3, EventText.RenderMessage(logEvent, formatProvider));
        _insert.Set(4, logEvent.MessageTemplate.Text);
        _insert.Set(5, EventText.DescribeException(logEvent.Exception));
        _insert.Set(6, threadId);
        _insert.Set(7, logEvent.TraceId?.ToHexString());
        _insert.Set(8, logEvent.SpanId?.ToHexString());
        _insert.Set(9, EventText.RenderProperties(json, properties,
            [sourceContext != null ? SourceContextPropertyName : null, threadId != null ? ThreadIdPropertyName : null]));
        _insert.Execute();
    }

    static string LevelName(LogEventLevel level) =>
        (uint)level < (uint)LevelNames.Length ? LevelNames[(int)level] : ((int)level).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _insert.Dispose();
}
