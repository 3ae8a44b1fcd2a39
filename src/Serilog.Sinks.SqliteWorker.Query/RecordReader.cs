using System.Data.SQLite;
using System.Globalization;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>Turns rows selected with <see cref="LogSql.Columns"/> and <see cref="MetricSql.Columns"/> into records.</summary>
static class RecordReader
{
    // The selects put id first, then each table's columns at their ordinals.
    const int IdOrdinal = 0;
    const int AfterId = 1;

    public static LogRecord ReadLog(SQLiteDataReader reader) => new()
    {
        Id = reader.GetInt64(IdOrdinal),
        Timestamp = TimestampText.Parse(reader.GetString(AfterId + LogColumns.Ordinal.Timestamp)),
        Level = ParseLevel(reader.GetString(AfterId + LogColumns.Ordinal.Level)),
        SourceContext = StringOrNull(reader, AfterId + LogColumns.Ordinal.SourceContext),
        Message = reader.GetString(AfterId + LogColumns.Ordinal.Message),
        MessageTemplate = reader.GetString(AfterId + LogColumns.Ordinal.MessageTemplate),
        Exception = StringOrNull(reader, AfterId + LogColumns.Ordinal.Exception),
        ThreadId = reader.IsDBNull(AfterId + LogColumns.Ordinal.ThreadId) ? null : reader.GetInt64(AfterId + LogColumns.Ordinal.ThreadId),
        TraceId = StringOrNull(reader, AfterId + LogColumns.Ordinal.TraceId),
        SpanId = StringOrNull(reader, AfterId + LogColumns.Ordinal.SpanId),
        Properties = PropertiesText.Parse(StringOrNull(reader, AfterId + LogColumns.Ordinal.Properties)),
    };

    public static MetricRecord ReadMetric(SQLiteDataReader reader) => new()
    {
        Id = reader.GetInt64(IdOrdinal),
        Timestamp = TimestampText.Parse(reader.GetString(AfterId + MetricColumns.Ordinal.Timestamp)),
        Name = reader.GetString(AfterId + MetricColumns.Ordinal.Name),
        Value = reader.GetDouble(AfterId + MetricColumns.Ordinal.Value),
        Unit = StringOrNull(reader, AfterId + MetricColumns.Ordinal.Unit),
        Properties = PropertiesText.Parse(StringOrNull(reader, AfterId + MetricColumns.Ordinal.Properties)),
    };

    /// <summary>
    /// Reads a level name as the sink writes it. A level outside Serilog's range is stored as its number, which
    /// <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> also reads.
    /// </summary>
    public static LogEventLevel ParseLevel(string text) =>
        Enum.TryParse<LogEventLevel>(text, ignoreCase: true, out var level)
            ? level
            : throw new InvalidDataException($"'{text}' in the level column is not a Serilog level name.");

    public static string? StringOrNull(SQLiteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? Int64OrNull(SQLiteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static double? DoubleOrNull(SQLiteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Convert.ToDouble(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
