using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using static Serilog.Sinks.SqliteWorker.SqliteEngine;

namespace Serilog.Sinks.SqliteWorker.Benchmarks;

/// <summary>
/// The provider ceiling's rows, statement shape, transactions and checkpoint policy, inserted through direct calls into
/// the SQLite engine that System.Data.SQLite itself loads (<c>e_sqlite3</c>, from SourceGear.sqlite3) instead of
/// through the provider: the text bound as UTF-16 from the strings in place, nothing allocated per row. The gap between
/// the two is what the provider costs per row. The sink's writer binds its rows through the engine too, so the drain
/// is also compared with this row; the calls both make come from the sink's <see cref="SqliteEngine"/>.
/// </summary>
static unsafe partial class EngineCeiling
{
    const string Engine = "e_sqlite3";
    const int TransactionRows = 1_000;
    const int Ok = 0, Done = 101;
    const int OpenReadWrite = 0x2, OpenFullMutex = 0x10000;
    // SQLITE_TRANSIENT: SQLite copies the text before the call returns.
    static readonly IntPtr Transient = -1;

    public static Measurement Run(string path, int rowCount, int rowsPerStatement)
    {
        if (TransactionRows % rowsPerStatement != 0)
            throw new ArgumentException($"rowsPerStatement must divide {TransactionRows}.");

        var rows = EventShape.PrerenderRows(rowCount, DateTime.UtcNow);
        // The schema, WAL and the sink's checkpointer as the provider ceiling has them; the inserts on a connection of
        // the engine's own, set as the sink sets its connection.
        using var connection = BenchmarkDatabase.Open(path);
        using var checkpointer = new WalCheckpointer(connection.ConnectionString, path);
        // SQLite hands back a connection to close even when opening fails, with the reason in it.
        var opened = sqlite3_open_v2(path, out var db, OpenReadWrite | OpenFullMutex, IntPtr.Zero);
        IntPtr insert = 0, begin = 0, commit = 0;
        try
        {
            Check(db, opened, "open");
            var pageSize = BenchmarkDatabase.Scalar(connection, "PRAGMA page_size");
            Execute(db, $"PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = {WalCheckpointer.WriterAutoCheckpointBytes / pageSize}");
            insert = Prepare(db, InsertSql(rowsPerStatement));
            begin = Prepare(db, "BEGIN");
            commit = Prepare(db, "COMMIT");

            GC.Collect();
            var cpuBefore = Measurement.ProcessorSeconds();
            var started = Stopwatch.GetTimestamp();
            // On a thread named as the sink names its writer, as in ProviderCeiling, for the per-thread figures.
            var inserter = new Thread(() => Insert(db, insert, begin, commit, rows, rowsPerStatement, checkpointer))
            {
                Name = "SqliteWorker(engine) inserts",
            };
            inserter.Start();
            inserter.Join();

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var cpuSeconds = Measurement.ProcessorSeconds() - cpuBefore;
            return new Measurement
            {
                Configuration = $"engine-{rowsPerStatement}",
                Seconds = seconds,
                CpuSeconds = cpuSeconds,
                Rows = BenchmarkDatabase.Scalar(connection, "SELECT COUNT(*) FROM logs"),
                Expected = rowCount,
            };
        }
        finally
        {
            sqlite3_finalize(insert);
            sqlite3_finalize(begin);
            sqlite3_finalize(commit);
            sqlite3_close_v2(db);
        }
    }

    static void Insert(IntPtr db, IntPtr insert, IntPtr begin, IntPtr commit, object[][] rows, int rowsPerStatement, WalCheckpointer checkpointer)
    {
        var columns = EventShape.Columns.Length;
        for (var first = 0; first < rows.Length; first += TransactionRows)
        {
            Step(db, begin);
            var end = Math.Min(first + TransactionRows, rows.Length);
            for (var row = first; row + rowsPerStatement <= end; row += rowsPerStatement)
            {
                for (var r = 0; r < rowsPerStatement; r++)
                {
                    var values = rows[row + r];
                    for (var c = 0; c < columns; c++)
                        Bind(db, insert, r * columns + c + 1, values[c]);
                }

                Step(db, insert);
            }

            Step(db, commit);
            checkpointer.Request();
        }
    }

    static void Bind(IntPtr db, IntPtr statement, int index, object value)
    {
        int result;
        switch (value)
        {
            case string text:
                fixed (char* characters = text)
                    result = sqlite3_bind_text16(statement, index, characters, text.Length * sizeof(char), Transient);
                break;
            case long number:
                result = sqlite3_bind_int64(statement, index, number);
                break;
            case DBNull:
                result = sqlite3_bind_null(statement, index);
                break;
            default:
                throw new ArgumentException($"The pre-rendered rows hold no {value.GetType()}.");
        }

        Check(db, result, "bind");
    }

    static void Step(IntPtr db, IntPtr statement)
    {
        var result = sqlite3_step(statement);
        sqlite3_reset(statement);
        Check(db, result == Done ? Ok : result, "step");
    }

    static IntPtr Prepare(IntPtr db, string sql)
    {
        Check(db, sqlite3_prepare_v2(db, sql, -1, out var statement, IntPtr.Zero), "prepare");
        return statement;
    }

    static void Execute(IntPtr db, string sql) => Check(db, sqlite3_exec(db, sql, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero), "exec");

    static void Check(IntPtr db, int result, string what)
    {
        if (result != Ok)
            throw new InvalidOperationException($"SQLite {what} failed with {result}: {(db == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(sqlite3_errmsg(db)))}");
    }

    static string InsertSql(int rowsPerStatement)
    {
        var row = $"({string.Join(", ", Enumerable.Repeat("?", EventShape.Columns.Length))})";
        return new StringBuilder($"INSERT INTO logs ({string.Join(", ", EventShape.Columns)}) VALUES ")
            .AppendJoin(", ", Enumerable.Repeat(row, rowsPerStatement)).ToString();
    }

    [LibraryImport(Engine, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sqlite3_open_v2(string filename, out IntPtr db, int flags, IntPtr vfs);

    [LibraryImport(Engine, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sqlite3_exec(IntPtr db, string sql, IntPtr callback, IntPtr argument, IntPtr error);

    [LibraryImport(Engine, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int sqlite3_prepare_v2(IntPtr db, string sql, int bytes, out IntPtr statement, IntPtr tail);

    [LibraryImport(Engine)]
    private static partial int sqlite3_bind_text16(IntPtr statement, int index, char* text, int bytes, IntPtr destructor);

    [LibraryImport(Engine)]
    private static partial int sqlite3_close_v2(IntPtr db);

    [LibraryImport(Engine)]
    private static partial IntPtr sqlite3_errmsg(IntPtr db);
}
