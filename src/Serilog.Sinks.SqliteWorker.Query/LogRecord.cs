using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>One row of the logs table.</summary>
/// <param name="Id">The row id, which grows as rows are written.</param>
/// <param name="Timestamp">When the event happened, in UTC.</param>
/// <param name="Level">The event's level.</param>
/// <param name="SourceContext">The <c>SourceContext</c> property, usually the name of the class that logged, or null.</param>
/// <param name="Message">The rendered message.</param>
/// <param name="MessageTemplate">The message template.</param>
/// <param name="Exception">The exception's <c>ToString()</c>, or null.</param>
/// <param name="ThreadId">The <c>ThreadId</c> property, or null when the event had none.</param>
/// <param name="TraceId">The W3C trace id as 32 lowercase hex digits, or null.</param>
/// <param name="SpanId">The W3C span id as 16 lowercase hex digits, or null.</param>
/// <param name="Properties">The event's other properties, as a JSON object. A row whose properties column is not a JSON
/// object that System.Text.Json reads with its default limits (malformed, or nested deeper than 64 levels, as a file
/// written before the sink bounded nesting may hold) gives a JSON string holding the column's raw text instead, so that
/// one row never fails a read.</param>
public sealed record LogRecord(
    long Id,
    DateTimeOffset Timestamp,
    LogEventLevel Level,
    string? SourceContext,
    string Message,
    string MessageTemplate,
    string? Exception,
    long? ThreadId,
    string? TraceId,
    string? SpanId,
    JsonElement Properties)
{
    /// <summary>The row's place in the results' order; pass it as <c>after</c> to read the next page.</summary>
    public RowPosition Position => new(Timestamp, Id);
}
