namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>One row of the logs table as stored, with the custom columns that follow the sink's own.</summary>
sealed record LogRow(
    long Id,
    string Timestamp,
    string Level,
    string? SourceContext,
    string Message,
    string MessageTemplate,
    string? Exception,
    long? ThreadId,
    string? TraceId,
    string? SpanId,
    string? Properties,
    IReadOnlyList<(string Column, object Value)> CustomColumns);

/// <summary>One row of the metrics table as stored.</summary>
sealed record MetricRow(long Id, string Timestamp, string Name, double Value, string? Unit, string? Properties);

/// <summary>The rows of one table read after a cursor, and how many ids between them no longer hold a row.</summary>
/// <param name="Rows">The rows, in id order.</param>
/// <param name="LastId">The id of the last row, or the cursor when there are none.</param>
/// <param name="Missing">Ids after the cursor, up to <paramref name="LastId"/>, whose rows were deleted before they were read.</param>
sealed record PendingBatch<T>(IReadOnlyList<T> Rows, long LastId, long Missing);
