namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>How much disk a database uses: its main file, its write-ahead log, and the free pages inside the file.</summary>
/// <param name="FileBytes">The size of the database file itself; for a shared in-memory database, the size of its pages.</param>
/// <param name="WalBytes">The size of its <c>-wal</c> file, which holds commits not yet copied back into the database
/// file; 0 when there is none.</param>
/// <param name="FreeBytes">The part of <paramref name="FileBytes"/> in free pages, left by deleted rows and reused by
/// new ones; <c>VACUUM</c> gives it back to the file system.</param>
public sealed record DatabaseFileSize(long FileBytes, long WalBytes, long FreeBytes);
