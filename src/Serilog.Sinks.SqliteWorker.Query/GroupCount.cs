namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>How many rows share one value, and what share of the counted rows they are.</summary>
/// <typeparam name="TKey">The type of the grouped value.</typeparam>
/// <param name="Key">The shared value; null groups the rows where it is missing.</param>
/// <param name="Count">The number of rows with this value.</param>
/// <param name="Percentage">The rows with this value as a percentage (0 to 100) of all the rows counted.</param>
public sealed record GroupCount<TKey>(TKey Key, long Count, double Percentage);
