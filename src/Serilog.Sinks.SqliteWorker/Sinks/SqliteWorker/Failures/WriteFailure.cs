using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Sorts a failed write by what could make it succeed: nothing but someone fixing the file (permanent), the events
/// themselves (a row the database refuses), or time (a lock, a full disk, an I/O error: retried with backoff).
/// </summary>
static class WriteFailure
{
    /// <summary>
    /// Why no later attempt can succeed until someone changes the file or its folder, phrased to follow the path in a
    /// message; null when a retry may succeed.
    /// </summary>
    public static string? PermanentCause(Exception exception, DatabaseLocation location)
    {
        var cause = Root(exception);
        if (cause is IncompatibleSchemaException)
            return $"cannot be used by the sink: {cause.Message}";

        if (location.FilePath is { } path && Directory.Exists(path))
            return "is a directory, not a database file. Configure a file path, such as " +
                   $"\"{Path.Combine(path, "logs.db")}\"";

        if (cause is UnauthorizedAccessException)
            return $"cannot be created or opened by this process ({cause.Message}). Give the process read and write " +
                   "access to the file and its folder, or configure another path";

        if (cause is not SQLiteException sqlite)
            return null;

        return PrimaryCode(sqlite) switch
        {
            SQLiteErrorCode.NotADb =>
                "is not a SQLite database (or is encrypted). The sink leaves it as it is; configure another path",
            SQLiteErrorCode.Corrupt =>
                "is corrupt. The sink leaves it as it is and writes nothing more to it; move it aside (and repair it " +
                "with the sqlite3 client's .recover if its contents matter), then restart the application",
            SQLiteErrorCode.ReadOnly or SQLiteErrorCode.Perm =>
                "is read-only for this process (the file, its folder, or the file system). Give the process write " +
                "access to the file and its folder, or configure another path, then restart the application",
            SQLiteErrorCode.CantOpen when location.FilePath is { } file && WhyTheFolderIsNotWritable(file) is { } why =>
                $"cannot be opened: its folder is read-only for this process ({why}), and SQLite needs to create the " +
                "-wal and -shm files next to the database. Give the process write access to the folder, or configure " +
                "another path, then restart the application",
            _ => null,
        };
    }

    /// <summary>
    /// True when the failure may come from a row the database refuses (a value too big, a constraint, or an exception
    /// while turning an event into a row), so that writing the events one at a time can tell the good from the bad.
    /// </summary>
    public static bool MayComeFromAnEvent(Exception exception) =>
        Root(exception) switch
        {
            SQLiteException sqlite => PrimaryCode(sqlite) is SQLiteErrorCode.TooBig or SQLiteErrorCode.Constraint
                or SQLiteErrorCode.Mismatch or SQLiteErrorCode.Range,
            IncompatibleSchemaException or IOException or UnauthorizedAccessException => false,
            _ => true,
        };

    /// <summary>True when the write failed for lack of space on the disk.</summary>
    public static bool IsDiskFull(Exception exception) =>
        Root(exception) is SQLiteException sqlite && PrimaryCode(sqlite) == SQLiteErrorCode.Full;

    static SQLiteErrorCode PrimaryCode(SQLiteException exception) =>
        (SQLiteErrorCode)((int)exception.ResultCode & (int)SQLiteErrorCode.NonExtendedMask);

    // The sink wraps what failed in an IOException that names the database; the cause is inside.
    static Exception Root(Exception exception) =>
        exception is IOException { InnerException: { } inner } && exception.GetType() == typeof(IOException) ? inner : exception;

    /// <summary>Null when this process can create a file in the database's folder; otherwise what the system said.</summary>
    static string? WhyTheFolderIsNotWritable(string file)
    {
        var folder = Path.GetDirectoryName(file);
        if (folder == null || !Directory.Exists(folder))
            return null;

        try
        {
            // A file of our own, deleted as it closes: the only sure test of write access, whatever the permissions say.
            var probe = Path.Combine(folder, $".sqliteworker-probe-{Guid.NewGuid():n}");
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }
}
