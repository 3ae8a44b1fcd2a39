namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>How much disk a database uses: its main file, its write-ahead log, and the free pages inside the file.</summary>
public sealed record DatabaseFileSize
{
    /// <summary>The size of the database file itself; for a shared in-memory database, the size of its pages.</summary>
    public required long FileBytes { get; init; }

    /// <summary>The size of its <c>-wal</c> file, which holds commits not yet copied back into the database file; 0
    /// when there is none.</summary>
    public required long WalBytes { get; init; }

    /// <summary>The part of <see cref="FileBytes"/> in free pages, left by deleted rows and reused by new ones;
    /// <c>VACUUM</c> gives it back to the file system.</summary>
    public required long FreeBytes { get; init; }
}
