using System.Text.Json;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>One row of the metrics table.</summary>
/// <param name="Id">The row id, which grows as rows are written.</param>
/// <param name="Timestamp">When the measurement was taken, in UTC.</param>
/// <param name="Name">The metric's name, such as <c>response_time</c>.</param>
/// <param name="Value">The measurement.</param>
/// <param name="Unit">The unit of <paramref name="Value"/>, such as <c>ms</c>, or null.</param>
/// <param name="Properties">The properties the logger added, as a JSON object; or, as for
/// <see cref="LogRecord.Properties"/>, a JSON string holding the column's raw text when it is not a readable JSON object.</param>
public sealed record MetricRecord(
    long Id,
    DateTimeOffset Timestamp,
    string Name,
    double Value,
    string? Unit,
    JsonElement Properties)
{
    /// <summary>The row's place in the results' order; pass it as <c>after</c> to read the next page.</summary>
    public RowPosition Position => new(Timestamp, Id);
}
