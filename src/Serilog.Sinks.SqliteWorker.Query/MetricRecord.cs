using System.Text.Json;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>One row of the metrics table.</summary>
public sealed record MetricRecord
{
    /// <summary>The row id, which grows as rows are written.</summary>
    public required long Id { get; init; }

    /// <summary>When the measurement was taken, in UTC.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The metric's name, such as <c>response_time</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The measurement.</summary>
    public required double Value { get; init; }

    /// <summary>The unit of <see cref="Value"/>, such as <c>ms</c>, or null.</summary>
    public string? Unit { get; init; }

    /// <summary>
    /// The properties the logger added, as a JSON object; or, as for <see cref="LogRecord.Properties"/>, a JSON string
    /// holding the column's raw text when it is not a readable JSON object.
    /// </summary>
    public required JsonElement Properties { get; init; }

    /// <summary>The row's place in the results' order; pass it as <c>after</c> to read the next page.</summary>
    public RowPosition Position => new(Timestamp, Id);
}
