namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// How hard SQLite works to make a committed batch survive a power loss (<c>PRAGMA synchronous</c>).
/// In both modes the database stays consistent after a crash of the process or of the machine.
/// </summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// <c>synchronous=NORMAL</c>, the default. A batch that was committed survives the process crashing; a power loss
    /// or operating-system crash can roll back the most recent batches, never corrupt the file.
    /// </summary>
    Normal,

    /// <summary>
    /// <c>synchronous=FULL</c>. Every commit is flushed to the disk before the batch counts as written, so committed
    /// batches also survive a power loss, at the cost of an fsync per batch.
    /// </summary>
    Full,
}
