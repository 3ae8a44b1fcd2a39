namespace Serilog.Sinks.SqliteWorker.Tests.Support;

/// <summary>What arrived of the numbered events that test writers log (properties Worker and Seq).</summary>
sealed record WorkerEvents(string Worker, long Count, long Distinct, long First, long Last)
{
    public static IReadOnlyList<WorkerEvents> Read(string databasePath, string table = "logs") =>
        Database.Query(databasePath,
                $"""
                 SELECT json_extract(properties, '$.Worker') AS worker, COUNT(*) AS count,
                        COUNT(DISTINCT json_extract(properties, '$.Seq')) AS distinct_seq,
                        MIN(json_extract(properties, '$.Seq')) AS first, MAX(json_extract(properties, '$.Seq')) AS last
                 FROM "{table}" GROUP BY worker ORDER BY worker
                 """)
            .Select(row => new WorkerEvents((string)row["worker"]!, (long)row["count"]!, (long)row["distinct_seq"]!,
                (long)row["first"]!, (long)row["last"]!))
            .ToList();

    /// <summary>Events 0 to Count - 1, each once: nothing missing in between, nothing twice.</summary>
    public bool IsGapFreePrefix => First == 0 && Distinct == Count && Last == Count - 1;
}
