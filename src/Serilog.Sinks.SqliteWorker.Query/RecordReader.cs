using System.Data.SQLite;
using System.Globalization;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>Turns rows selected with <see cref="LogSql.Columns"/> and <see cref="MetricSql.Columns"/> into records.</summary>
static class RecordReader
{
    public static LogRecord ReadLog(SQLiteDataReader reader) => new(
        reader.GetInt64(0),
        TimestampText.Parse(reader.GetString(1)),
        ParseLevel(reader.GetString(2)),
        StringOrNull(reader, 3),
        reader.GetString(4),
        reader.GetString(5),
        StringOrNull(reader, 6),
        reader.IsDBNull(7) ? null : reader.GetInt64(7),
        StringOrNull(reader, 8),
        StringOrNull(reader, 9),
        PropertiesText.Parse(StringOrNull(reader, 10)));

    public static MetricRecord ReadMetric(SQLiteDataReader reader) => new(
        reader.GetInt64(0),
        TimestampText.Parse(reader.GetString(1)),
        reader.GetString(2),
        reader.GetDouble(3),
        StringOrNull(reader, 4),
        PropertiesText.Parse(StringOrNull(reader, 5)));

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
