namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Where a row stands in <see cref="ResultOrder"/>: its timestamp, then its id. Passing the position of the last row
/// of one page asks for the next page; because ids are unique, no row is skipped or repeated between pages, even when
/// many rows share a timestamp or new rows arrive meanwhile.
/// </summary>
/// <param name="Timestamp">The row's timestamp.</param>
/// <param name="Id">The row's id, its <c>INTEGER PRIMARY KEY</c>.</param>
public readonly record struct RowPosition(DateTimeOffset Timestamp, long Id);
