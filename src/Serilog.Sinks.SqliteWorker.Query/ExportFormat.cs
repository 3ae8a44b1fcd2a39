namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>The file format of an export. Both are UTF-8 without a byte order mark, one row per line.</summary>
public enum ExportFormat
{
    /// <summary>
    /// Comma-separated values as in RFC 4180: a header line, then one line per row; a field is quoted when it holds a
    /// comma, a quote or a line break. Timestamps are ISO 8601 UTC, and properties are their JSON text.
    /// </summary>
    Csv,

    /// <summary>JSON Lines: one JSON object per line, with the row's properties as a nested object.</summary>
    JsonLines,
}
