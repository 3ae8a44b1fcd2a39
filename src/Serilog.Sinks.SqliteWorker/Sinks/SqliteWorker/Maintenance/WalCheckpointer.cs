using System.Data.SQLite;
using System.Globalization;
using Serilog.Debugging;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Copies the write-ahead log back into the database on a thread of its own, through a connection of its own, so that
/// the writer does not wait for it. A checkpoint syncs the log and the database file to disk, and with
/// <c>synchronous=NORMAL</c> those are the only syncs there are, so moving them off the writer's thread lets it
/// commit while they run (the benchmark's provider ceiling compares this with SQLite's default of checkpointing on the
/// committing connection; docs/performance.md has the figures). Durability is unchanged: the same checkpoints happen, only elsewhere. The writer's own automatic checkpoint stays on, at a
/// larger size, as a backstop in case this thread falls behind.
/// </summary>
sealed class WalCheckpointer : IDisposable
{
    /// <summary>
    /// The writer checkpoints by itself only when the log has grown this many bytes. SQLite counts the limit in pages, so
    /// it is set per file from its page size (<see cref="SetWriterBackstop"/>): 16,384 pages of 4 KB, 4,096 of 16 KB.
    /// </summary>
    public const long WriterAutoCheckpointBytes = 64L * 1024 * 1024;

    static readonly TimeSpan FailureReportInterval = TimeSpan.FromMinutes(1);

    readonly SQLiteConnection _connection;
    readonly string _databaseDescription;
    readonly Thread _thread;
    readonly object _signal = new();
    bool _pending;
    bool _stopping;
    long _lastFailureReport = long.MinValue;

    /// <summary>
    /// Sets the writing connection's own automatic checkpoint to <see cref="WriterAutoCheckpointBytes"/> of log, in pages of
    /// its file's size, which an existing file keeps from when it was made.
    /// </summary>
    public static void SetWriterBackstop(SQLiteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size";
        var pageSize = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint = {WriterAutoCheckpointBytes / pageSize}");
        command.ExecuteNonQuery();
    }

    public WalCheckpointer(string connectionString, string databaseDescription)
    {
        _databaseDescription = databaseDescription;
        _connection = new SQLiteConnection(connectionString);
        _connection.Open();
        _thread = new Thread(Run) { IsBackground = true, Name = "SqliteWorker checkpointer" };
        _thread.Start();
    }

    /// <summary>Asks for a checkpoint of what has been committed so far; requests made while one runs are merged.</summary>
    public void Request()
    {
        lock (_signal)
        {
            _pending = true;
            Monitor.Pulse(_signal);
        }
    }

    void Run()
    {
        using var command = _connection.CreateCommand();
        // PASSIVE never waits for the writer or for readers: it copies what it can and leaves the rest for next time.
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        while (true)
        {
            lock (_signal)
            {
                while (!_pending && !_stopping)
                    Monitor.Wait(_signal);
                if (_stopping)
                    return;
                _pending = false;
            }

            try
            {
                command.ExecuteNonQuery();
            }
            catch (Exception ex)
            {
                ReportFailure(ex);
            }
        }
    }

    void ReportFailure(Exception exception)
    {
        // The writer's own checkpoints still bound the log, so a failure here is worth a line now and then, not one per batch.
        var now = Environment.TickCount64;
        if (now - _lastFailureReport < (long)FailureReportInterval.TotalMilliseconds)
            return;
        _lastFailureReport = now;
        SelfLog.WriteLine("SqliteWorker: a background checkpoint of {0} failed; the writer will checkpoint by itself: {1}",
            _databaseDescription, exception);
    }

    /// <summary>Stops the thread and closes the connection; closing the last connection checkpoints what is left.</summary>
    public void Dispose()
    {
        lock (_signal)
        {
            _stopping = true;
            Monitor.Pulse(_signal);
        }

        _thread.Join();
        _connection.Dispose();
    }
}
