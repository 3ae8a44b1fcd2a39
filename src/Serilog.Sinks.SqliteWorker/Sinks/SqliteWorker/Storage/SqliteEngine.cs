using System.Data.SQLite;
using System.Runtime.InteropServices;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The few calls into the SQLite engine that the writer makes itself, to prepare, bind and step its INSERT statements on
/// System.Data.SQLite's own connection. Binding through the provider costs a string and a UTF-8 array per value; here the
/// queued text is encoded into one reused buffer instead (see <see cref="TableInsert"/>). Everything else, from opening
/// the file to transactions, stays with the provider.
/// </summary>
static unsafe partial class SqliteEngine
{
    const string Library = "e_sqlite3";

    public const int Ok = 0;
    public const int Done = 101;

    // SQLITE_FCNTL_HAS_MOVED
    const int FcntlHasMoved = 20;

    // SQLITE_PREPARE_PERSISTENT: the statements live as long as the connection, and SQLite allocates them accordingly.
    const uint PreparePersistent = 0x01;

    static SqliteEngine()
    {
        // These calls must reach the very engine the provider loaded, since they use its connection: two copies of SQLite
        // in one process would not even share their file locks. So the library is resolved as the provider's assembly
        // resolves it, through whatever resolver the application has given that assembly.
        try
        {
            NativeLibrary.SetDllImportResolver(typeof(SqliteEngine).Assembly, static (name, _, searchPath) =>
                name == Library ? NativeLibrary.Load(Library, typeof(SQLiteConnection).Assembly, searchPath) : IntPtr.Zero);
        }
        catch (InvalidOperationException)
        {
            // The application has set a resolver for this assembly itself; it decides.
        }
    }

    /// <summary>Prepares a statement on the provider's open connection.</summary>
    /// <exception cref="SQLiteException">SQLite refused the statement.</exception>
    public static StatementHandle Prepare(SQLiteConnection connection, string sql)
    {
        var database = (CriticalHandle)connection.GetCriticalHandle();
        var utf8 = System.Text.Encoding.UTF8.GetBytes(sql);
        int rc;
        StatementHandle statement;
        fixed (byte* text = utf8)
            rc = sqlite3_prepare_v3(database, text, utf8.Length, PreparePersistent, out statement, IntPtr.Zero);
        if (rc == Ok)
            return statement;

        var error = Error(sqlite3_extended_errcode(database), sqlite3_errmsg(database));
        statement.Dispose();
        throw error;
    }

    /// <summary>
    /// Whether the main database file is no longer the one at its path: deleted, or replaced by a rename. SQLite answers
    /// with one stat of the path, compared with the file it has open; a system whose SQLite cannot tell answers false.
    /// </summary>
    public static bool HasMoved(SQLiteConnection connection)
    {
        var database = (CriticalHandle)connection.GetCriticalHandle();
        int moved;
        return sqlite3_file_control(database, IntPtr.Zero, FcntlHasMoved, &moved) == Ok && moved != 0;
    }

    /// <summary>The error a failed call on the statement left on its connection; read it before the next call.</summary>
    public static SQLiteException LastError(IntPtr statement)
    {
        var database = sqlite3_db_handle(statement);
        return Error(sqlite3_extended_errcode(database), sqlite3_errmsg(database));
    }

    static SQLiteException Error(int code, IntPtr message) => new((SQLiteErrorCode)code, Marshal.PtrToStringUTF8(message));

    // SQLITE_STATIC: the caller keeps the bound bytes where they are until the statement has been stepped and reset.
    static readonly IntPtr Static = IntPtr.Zero;

    public static int BindText(IntPtr statement, int index, byte* utf8, int length) =>
        sqlite3_bind_text(statement, index, utf8, length, Static);

    [DllImport(Library)]
    static extern int sqlite3_prepare_v3(CriticalHandle database, byte* sql, int bytes, uint flags, out StatementHandle statement, IntPtr tail);

    [DllImport(Library)]
    static extern int sqlite3_extended_errcode(CriticalHandle database);

    // A null schema name means the main database.
    [DllImport(Library)]
    static extern int sqlite3_file_control(CriticalHandle database, IntPtr schema, int operation, void* argument);

    [DllImport(Library)]
    static extern IntPtr sqlite3_errmsg(CriticalHandle database);

    [LibraryImport(Library)]
    private static partial IntPtr sqlite3_db_handle(IntPtr statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_extended_errcode")]
    private static partial int sqlite3_extended_errcode(IntPtr database);

    [LibraryImport(Library, EntryPoint = "sqlite3_errmsg")]
    private static partial IntPtr sqlite3_errmsg(IntPtr database);

    [LibraryImport(Library)]
    private static partial int sqlite3_bind_text(IntPtr statement, int index, byte* text, int bytes, IntPtr destructor);

    [LibraryImport(Library)]
    public static partial int sqlite3_bind_int64(IntPtr statement, int index, long value);

    [LibraryImport(Library)]
    public static partial int sqlite3_bind_double(IntPtr statement, int index, double value);

    [LibraryImport(Library)]
    public static partial int sqlite3_bind_null(IntPtr statement, int index);

    [LibraryImport(Library)]
    public static partial int sqlite3_step(IntPtr statement);

    [LibraryImport(Library)]
    public static partial int sqlite3_reset(IntPtr statement);

    [LibraryImport(Library)]
    internal static partial int sqlite3_finalize(IntPtr statement);
}

/// <summary>A prepared statement, finalized when disposed or, failing that, when collected.</summary>
sealed class StatementHandle() : SafeHandle(IntPtr.Zero, ownsHandle: true)
{
    public override bool IsInvalid => handle == IntPtr.Zero;

    // What sqlite3_finalize returns is the statement's last error, not a failure to finalize: it always frees the statement.
    // A connection that is asked to close while statements remain waits for them (sqlite3_close_v2) or refuses
    // (sqlite3_close), so finalizing after the provider closed its connection is safe either way.
    protected override bool ReleaseHandle()
    {
        SqliteEngine.sqlite3_finalize(handle);
        return true;
    }
}
