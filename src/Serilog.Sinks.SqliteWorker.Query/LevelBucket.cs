using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>How many log rows of one level fall in one minute or one hour, a segment of a stacked bar chart.</summary>
public sealed record LevelBucket
{
    /// <summary>The start of the bucket, in UTC.</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>The level counted.</summary>
    public required LogEventLevel Level { get; init; }

    /// <summary>The rows of <see cref="Level"/> in the bucket; levels without rows are not returned.</summary>
    public required long Count { get; init; }
}
