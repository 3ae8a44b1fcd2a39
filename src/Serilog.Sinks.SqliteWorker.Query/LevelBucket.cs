using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>How many log rows of one level fall in one minute or one hour, a segment of a stacked bar chart.</summary>
/// <param name="Start">The start of the bucket, in UTC.</param>
/// <param name="Level">The level counted.</param>
/// <param name="Count">The rows of <paramref name="Level"/> in the bucket; levels without rows are not returned.</param>
public sealed record LevelBucket(DateTimeOffset Start, LogEventLevel Level, long Count);
