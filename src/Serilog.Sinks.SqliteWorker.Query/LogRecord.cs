using System.Text.Json;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>One row of the logs table.</summary>
public sealed record LogRecord
{
    /// <summary>The row id, which grows as rows are written.</summary>
    public required long Id { get; init; }

    /// <summary>When the event happened, in UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The event's level.</summary>
    public required LogEventLevel Level { get; init; }

    /// <summary>The <c>SourceContext</c> property, usually the name of the class that logged, or null.</summary>
    public string? SourceContext { get; init; }

    /// <summary>The rendered message.</summary>
    public required string Message { get; init; }

    /// <summary>The message template.</summary>
    public required string MessageTemplate { get; init; }

    /// <summary>The exception's <c>ToString()</c>, or null.</summary>
    public string? Exception { get; init; }

    /// <summary>The <c>ThreadId</c> property, or null when the event had none.</summary>
    public long? ThreadId { get; init; }

    /// <summary>The W3C trace id as 32 lowercase hex digits, or null.</summary>
    public string? TraceId { get; init; }

    /// <summary>The W3C span id as 16 lowercase hex digits, or null.</summary>
    public string? SpanId { get; init; }

    /// <summary>
    /// The event's other properties, as a JSON object. A row whose properties column is not a JSON object that
    /// System.Text.Json reads with its default limits (malformed, or nested deeper than 64 levels) gives a JSON string
    /// holding the column's raw text instead, so that one row never fails a read.
    /// </summary>
    public required JsonElement Properties { get; init; }

    /// <summary>The row's place in the results' order; pass it as <c>after</c> to read the next page.</summary>
    public RowPosition Position => new(Timestamp, Id);
}
