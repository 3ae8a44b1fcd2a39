namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>How many rows share one value, and what share of the counted rows they are.</summary>
/// <typeparam name="TKey">The type of the grouped value.</typeparam>
public sealed record GroupCount<TKey>
{
    /// <summary>The shared value; null groups the rows where it is missing.</summary>
    public required TKey Key { get; init; }

    /// <summary>The number of rows with this value.</summary>
    public required long Count { get; init; }

    /// <summary>The rows with this value as a percentage (0 to 100) of all the rows counted.</summary>
    public required double Percentage { get; init; }
}
