using System.Data.SQLite;
using System.Globalization;
using Serilog.Debugging;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// The writer's open connection to the file: opened with the sink's pragmas, the file checked and its schema brought up
/// to date, with the two tables' prepared inserts and the background checkpointer that belong to it. Disposing it closes
/// them all, in the order SQLite needs.
/// </summary>
sealed class WriterConnection : IDisposable
{
    // Rows per INSERT statement: enough to spread each execution's fixed cost thin, few enough that a
    // statement's parameters stay small. The benchmark's provider ceiling shows where the curve flattens.
    const int RowsPerStatement = 32;

    // After a checkpoint, a WAL file larger than this is truncated to it, so that one burst does not leave a large
    // file behind for good.
    const long JournalSizeLimitBytes = 64L * 1024 * 1024;

    WriterConnection(SQLiteConnection connection, TableInsert logs, TableInsert metrics, WalCheckpointer? checkpointer,
        string? walPath, UInt128 walIdentity)
    {
        Connection = connection;
        Logs = logs;
        Metrics = metrics;
        Checkpointer = checkpointer;
        WalPath = walPath;
        WalIdentity = walIdentity;
    }

    public SQLiteConnection Connection { get; }

    /// <summary>The prepared insert into the logs table.</summary>
    public TableInsert Logs { get; }

    /// <summary>The prepared insert into the metrics table.</summary>
    public TableInsert Metrics { get; }

    /// <summary>Copies the write-ahead log into the database off the writer's thread; null when the file is not in WAL mode, or it could not start.</summary>
    public WalCheckpointer? Checkpointer { get; }

    /// <summary>The write-ahead log this connection has open, and which file it is, to notice when it is deleted; null when there is none.</summary>
    public string? WalPath { get; }

    public UInt128 WalIdentity { get; }

    /// <summary>
    /// Opens <paramref name="location"/>, making the file and its folder if there are none. A file that is not a
    /// database, or not one the sink can use, is refused before anything is written to it.
    /// </summary>
    /// <exception cref="IncompatibleSchemaException">The file holds tables the sink cannot use.</exception>
    /// <exception cref="SQLiteException">The file could not be opened, read or written.</exception>
    public static WriterConnection Open(DatabaseLocation location, TableSchema logs, TableSchema metrics, SqliteWorkerSinkOptions options)
    {
        if (location.Directory != null)
            Directory.CreateDirectory(location.Directory);

        var connection = new SQLiteConnection(location.ConnectionString);
        TableInsert? logInsert = null, metricInsert = null;
        try
        {
            connection.Open();
            string? journalMode;
            using (var command = connection.CreateCommand())
            {
                // The busy timeout comes first: switching to WAL takes a lock that another writer may hold.
                command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}");
                command.ExecuteNonQuery();
                // Reads only: a file that is not ours, or not a database, is refused before anything is written to it.
                SchemaMigrator.CheckCompatible(connection, location.Description, logs, metrics);
                // Before the switch to WAL, which writes a new file's first page and so fixes what it can take.
                SchemaMigrator.PrepareNewFile(connection, incrementalAutoVacuum: options.MaxDatabaseSize != null);

                command.CommandText = "PRAGMA journal_mode = WAL";
                journalMode = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (journalMode is not ("wal" or "memory"))
                    SelfLog.WriteLine("SqliteWorker: {0} could not switch to WAL and uses journal mode {1}; readers may block the writer",
                        location.Description, journalMode);
                command.CommandText = options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
                command.ExecuteNonQuery();
                command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA journal_size_limit = {JournalSizeLimitBytes}");
                command.ExecuteNonQuery();
                if (journalMode == "wal")
                    WalCheckpointer.SetWriterBackstop(connection);
            }

            SchemaMigrator.Apply(connection, location.Description, logs, metrics);
            logInsert = new TableInsert(connection, logs, RowsPerStatement);
            metricInsert = new TableInsert(connection, metrics, RowsPerStatement);
            var wal = journalMode == "wal";
            var checkpointer = wal ? StartCheckpointer(connection, location) : null;
            // The log exists once the schema has been read and written through it.
            var walPath = wal && location.FilePath != null ? location.FilePath + "-wal" : null;
            return new WriterConnection(connection, logInsert, metricInsert, checkpointer, walPath,
                walPath == null ? 0 : DiskEntry.At(walPath).Identity);
        }
        catch
        {
            logInsert?.Dispose();
            metricInsert?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    static WalCheckpointer? StartCheckpointer(SQLiteConnection connection, DatabaseLocation location)
    {
        try
        {
            return new WalCheckpointer(location.ConnectionString, location.Description);
        }
        catch (Exception ex)
        {
            // Writing does not depend on it: the writer goes back to SQLite's default of checkpointing by itself.
            SelfLog.WriteLine("SqliteWorker: the background checkpointer for {0} could not start; the writer checkpoints by itself: {1}",
                location.Description, ex);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint = 1000";
            command.ExecuteNonQuery();
            return null;
        }
    }

    public void Dispose()
    {
        // The statements first: they belong to the connection.
        Logs.Dispose();
        Metrics.Dispose();
        Connection.Dispose();
        // After the writer's connection, so that the checkpointer's, closing last, checkpoints what is left.
        Checkpointer?.Dispose();
    }
}
