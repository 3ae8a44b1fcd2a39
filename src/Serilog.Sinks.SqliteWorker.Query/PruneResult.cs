namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>What <see cref="SqliteWorkerDatabase.DeleteOlderThan"/> removed.</summary>
public sealed record PruneResult
{
    /// <summary>The log rows deleted.</summary>
    public required long LogsDeleted { get; init; }

    /// <summary>The metric rows deleted.</summary>
    public required long MetricsDeleted { get; init; }
}
