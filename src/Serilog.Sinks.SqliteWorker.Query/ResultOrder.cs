namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>The order in which rows are returned: by timestamp, with the row id breaking ties.</summary>
public enum ResultOrder
{
    /// <summary>The most recent rows first.</summary>
    NewestFirst,

    /// <summary>The earliest rows first.</summary>
    OldestFirst,
}
