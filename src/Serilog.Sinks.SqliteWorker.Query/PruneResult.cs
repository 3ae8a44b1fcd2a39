namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>What <see cref="SqliteWorkerDatabase.DeleteOlderThan"/> removed.</summary>
/// <param name="LogsDeleted">The log rows deleted.</param>
/// <param name="MetricsDeleted">The metric rows deleted.</param>
public sealed record PruneResult(long LogsDeleted, long MetricsDeleted);
