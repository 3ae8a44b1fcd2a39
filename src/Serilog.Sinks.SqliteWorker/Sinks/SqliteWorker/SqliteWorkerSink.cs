using System.Data.SQLite;
using System.Diagnostics;
using System.Globalization;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Writes each batch of queued rows in one SQLite transaction: all of it or none of it, so a batch that fails can be
/// retried without duplicating rows. <see cref="BackgroundWriter"/> calls it from one thread. It is also a batched sink
/// in Serilog's sense, rendering the events it is handed, for tests and the benchmark's earlier design.
/// </summary>
sealed class SqliteWorkerSink : IBatchedLogEventSink, IDisposable
{
    // Rows per INSERT statement: enough to spread each execution's fixed cost thin, few enough that a
    // statement's parameters stay small. The benchmark's provider ceiling shows where the curve flattens.
    const int RowsPerStatement = 32;

    // After a checkpoint, a WAL file larger than this is truncated to it, so that one burst does not leave a large
    // file behind for good.
    const long JournalSizeLimitBytes = 64L * 1024 * 1024;

    readonly DatabaseLocation _location;
    readonly TableSchema _logs;
    readonly TableSchema _metrics;
    readonly string _synchronousPragma;
    readonly int _busyTimeoutMilliseconds;
    readonly Action<SqliteWorkerBatchWritten>? _onBatchWritten;
    readonly SinkCounters _counters;
    readonly FailureReporter _failures;
    readonly IFormatProvider? _formatProvider;
    readonly IReadOnlyList<PropertyColumn> _customColumns;
    readonly RetentionPolicy? _retention;
    readonly bool _incrementalAutoVacuum;

    // Set when the file cannot be used until someone fixes it; from then on batches are dropped and reported.
    string? _offlineBecause;

    // For batches handed over directly (EmitBatchAsync), rendered here rather than on the logging threads.
    RowQueue? _directQueue;
    readonly RowBatch _directBatch = new();

    SQLiteConnection? _connection;
    // The write-ahead log the connection has open, and which file it is, to notice when it is deleted under the writer.
    string? _walPath;
    UInt128 _walIdentity;
    // Events in the last batch written: what may have gone to a file deleted since the check before it.
    int _lastBatchEvents;
    // Set when a write found the disk full, until the write-ahead log has been emptied and truncated again.
    bool _diskWasFull;
    WalCheckpointer? _checkpointer;
    TableInsert? _logInsert;
    TableInsert? _metricInsert;

    // The log rows of the batch being written, by level, for OnBatchWritten; counted again at each attempt.
    LevelCounts _logsByLevel;

    public SqliteWorkerSink(SqliteWorkerSinkOptions options, DatabaseLocation location, SinkCounters counters,
        FailureReporter failures)
    {
        _location = location;
        var customColumns = options.CustomColumns.Select(c => new PropertyColumn(c)).ToList();
        _logs = SinkSchema.Logs(options.LogsTableName, customColumns);
        _metrics = SinkSchema.Metrics(options.MetricsTableName);
        _synchronousPragma = options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
        _busyTimeoutMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;
        _onBatchWritten = options.OnBatchWritten;
        _counters = counters;
        _failures = failures;
        _formatProvider = options.FormatProvider;
        _customColumns = customColumns;
        _retention = RetentionPolicy.Create(options, _logs, _metrics, location, failures, this);
        _incrementalAutoVacuum = options.MaxDatabaseSize != null;
    }

    /// <summary>The open connection, if any; for tests that check per-connection settings.</summary>
    internal SQLiteConnection? Connection => _connection;

    /// <summary>A queue whose rows this sink can write: rendered with its format provider and custom columns.</summary>
    public RowQueue CreateQueue() => new(_formatProvider, _customColumns, _logs.Columns.Count);

    /// <summary>
    /// Renders and writes a batch handed over directly, as Serilog's batching would; the sink's own pipeline queues
    /// rows rendered on the logging threads and calls <see cref="Write"/>.
    /// </summary>
    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        // Serilog never calls this concurrently, so one queue serves every call.
        var queue = _directQueue ??= CreateQueue();
        foreach (var logEvent in batch)
            queue.Add(logEvent);
        queue.Take(batch.Count, _directBatch);
        try
        {
            Write(_directBatch);
        }
        finally
        {
            queue.Release(_directBatch);
        }

        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync()
    {
        OnEmptyBatch();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Writes the rows in one transaction, or row by row when the database refuses one of them, which is then reported
    /// and dropped. Rows that cannot be written because the file is unusable are reported and dropped too.
    /// </summary>
    /// <exception cref="IOException">Nothing of the batch was written, for a reason that may pass: a lock, a full disk, an I/O error.</exception>
    public void Write(RowBatch batch)
    {
        if (_offlineBecause != null)
        {
            _counters.Discarded(batch.Count);
            _failures.ReportUnusable(batch, this);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        int logs, metrics;
        try
        {
            (logs, metrics) = WriteWholeOrRowByRow(batch);
        }
        catch (Exception ex) when (WriteFailure.PermanentCause(ex, _location) is { } cause)
        {
            _offlineBecause = cause;
            _failures.FileIsUnusable($"{_location.Description} {cause}", batch.Count);
            Drop(batch.RebuildEvents(), LoggingFailureKind.Final, $"{_location.Description} {cause}. The sink has stopped writing to it: " +
                $"{(batch.Count == 1 ? "this event" : $"these {batch.Count} events")} and every later one are dropped and reported", ex);
            return;
        }

        _counters.Written(logs, metrics);
        _lastBatchEvents = logs + metrics;

        if (_onBatchWritten != null)
            Notify(new SqliteWorkerBatchWritten(logs, _logsByLevel, metrics, Stopwatch.GetElapsedTime(started),
                _counters.LogsWritten, _counters.MetricsWritten, _counters.Dropped, _counters.Queued));

        _failures.ReportQueueFullIfDue();
        RunRetention();
    }

    /// <summary>Housekeeping when a batch's time came and no row was waiting.</summary>
    public void OnEmptyBatch()
    {
        _failures.ReportQueueFullIfDue();
        _failures.ReportUnusableIfDue(this);
        RunRetention();
    }

    void RunRetention()
    {
        // What retention frees or gives back reaches the main file only when a checkpoint copies the WAL into it.
        if (_retention?.RunIfDue(_connection, _counters.Queued) == true)
            _checkpointer?.Request();
    }

    (int Logs, int Metrics) WriteWholeOrRowByRow(RowBatch batch)
    {
        try
        {
            return WriteInOneTransaction(batch);
        }
        catch (Exception ex) when (WriteFailure.MayComeFromAnEvent(ex))
        {
            return WriteRowByRow(batch);
        }
    }

    (int Logs, int Metrics) WriteInOneTransaction(RowBatch batch)
    {
        try
        {
            if (_connection != null)
                LetGoOfTheFileIfItIsGone(_connection);
            var connection = _connection ?? Open();
            if (_diskWasFull)
                GiveTheLogsSpaceBack(connection);
            int logs = 0, metrics = 0;
            _logsByLevel = default;
            using var transaction = connection.BeginTransaction();
            try
            {
                foreach (var (segment, row) in batch.Rows())
                {
                    if (segment.IsMetric(row))
                    {
                        _metricInsert!.Add(segment, row);
                        metrics++;
                    }
                    else
                    {
                        _logInsert!.Add(segment, row);
                        logs++;
                        _logsByLevel.Add(segment.Level(row));
                    }
                }

                _logInsert!.Flush();
                _metricInsert!.Flush();
            }
            finally
            {
                _logInsert?.Clear();
                _metricInsert?.Clear();
            }

            transaction.Commit();
            if (_diskWasFull)
                _diskWasFull = !GiveTheLogsSpaceBack(connection);
            else
                _checkpointer?.Request();
            return (logs, metrics);
        }
        catch (Exception ex)
        {
            _diskWasFull |= WriteFailure.IsDiskFull(ex);
            // The transaction has rolled back. Start from a fresh connection next time, in case this one is what broke.
            Close();
            throw new IOException(
                $"Writing a batch of {batch.Count} events to {_location.Description} failed, and nothing of it was " +
                $"written: {ex.Message}", ex);
        }
    }

    (int Logs, int Metrics) WriteRowByRow(RowBatch batch)
    {
        List<((RowSegment Segment, int Row) Row, Exception Error)> refused;
        int logs, metrics;
        _logsByLevel = default;
        try
        {
            (logs, metrics, refused) = RowByRow.Write(_connection ?? Open(), batch.Rows().ToList(), WriteRow);
            _checkpointer?.Request();
        }
        catch (Exception ex)
        {
            Close();
            throw new IOException(
                $"Writing a batch of {batch.Count} events to {_location.Description} failed, and nothing of it was " +
                $"written: {ex.Message}", ex);
        }

        foreach (var ((segment, row), error) in refused)
        {
            var logEvent = segment.Rebuild(row);
            Drop([logEvent], LoggingFailureKind.Permanent,
                $"an event with the template \"{logEvent.MessageTemplate.Text}\" could not be stored in " +
                $"{_location.Description} and was dropped; the rest of its batch was written: {error.Message}", error);
        }

        return (logs, metrics);
    }

    /// <summary>Writes one queued row; true when it went to the metrics table.</summary>
    bool WriteRow((RowSegment Segment, int Row) queued)
    {
        var (segment, row) = queued;
        var isMetric = segment.IsMetric(row);
        var insert = (isMetric ? _metricInsert : _logInsert)!;
        try
        {
            insert.Add(segment, row);
            insert.Flush();
            if (!isMetric)
                _logsByLevel.Add(segment.Level(row));
            return isMetric;
        }
        finally
        {
            insert.Clear();
        }
    }

    /// <summary>
    /// Closes the connection, to open the path afresh, when the file it has open is no longer the one at the path
    /// (deleted, or replaced by another) or its write-ahead log has been deleted; and reports it. Costs a stat of each.
    /// </summary>
    void LetGoOfTheFileIfItIsGone(SQLiteConnection connection)
    {
        if (_location.FilePath == null)
            return;

        if (SqliteEngine.HasMoved(connection))
        {
            // SQLite neither checkpoints into a file that has moved nor deletes its log on closing.
            Close();
            _failures.Report(LoggingFailureKind.Permanent,
                $"{_location.Description} was deleted or replaced while the sink was writing to it. The sink opens the " +
                "path again, making a new file if there is none, and goes on; " +
                (_lastBatchEvents == 0 ? "no event was written to the old file since the sink last found it in place"
                    : $"the last batch, {(_lastBatchEvents == 1 ? "1 event" : $"{_lastBatchEvents} events")}, was written " +
                      "after the sink last found the file in place, and may have gone with it"),
                events: null, exception: null, this);
            return;
        }

        // Where the system cannot say which file it is (identity 0), that it is there has to do.
        if (_walPath is not { } walPath
            || DiskEntry.At(walPath) is { Kind: DiskEntryKind.File } wal && (wal.Identity == _walIdentity || wal.Identity == 0 || _walIdentity == 0))
            return;

        // SQLite still reads the deleted log through the handle it has open: a checkpoint copies it into the database.
        var copied = CopyTheLogIntoTheDatabase(connection);
        Close();
        _failures.Report(copied ? LoggingFailureKind.Temporary : LoggingFailureKind.Permanent,
            $"the write-ahead log of {_location.Description} ('{walPath}') was deleted or replaced while the sink was " +
            (copied ? "writing to it. Nothing was lost: what it held has been copied into the database, and the sink opens the file again with a new log"
                : "writing to it, and part of it could not be copied into the database: the latest rows may be missing. The sink opens the file again with a new log"),
            events: null, exception: null, this);
    }

    /// <summary>
    /// After the disk was found full: copies the write-ahead log into the database and truncates it to nothing, so that
    /// the room it holds (as much as the largest batch since it was made) goes back to the disk for the database to grow
    /// into. It is done before each attempt and after each batch written, until it has succeeded after one; a batch is
    /// tried whatever it gives. False when it could not be done.
    /// </summary>
    static bool GiveTheLogsSpaceBack(SQLiteConnection connection) => Checkpoint(connection, "TRUNCATE") is { Busy: false };

    static bool CopyTheLogIntoTheDatabase(SQLiteConnection connection) =>
        Checkpoint(connection, "FULL") is { Busy: false } result && result.LogFrames == result.Copied;

    /// <summary>
    /// Runs <c>PRAGMA wal_checkpoint(<paramref name="mode"/>)</c>: whether a lock stopped it, the log's frames, and how
    /// many of them are now in the database; null when SQLite refused it (still no room to copy into, say).
    /// </summary>
    static (bool Busy, long LogFrames, long Copied)? Checkpoint(SQLiteConnection connection, string mode)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA wal_checkpoint({mode})";
            using var reader = command.ExecuteReader();
            return reader.Read() ? (reader.GetInt64(0) != 0, reader.GetInt64(1), reader.GetInt64(2)) : null;
        }
        catch (SQLiteException)
        {
            return null;
        }
    }

    SQLiteConnection Open()
    {
        if (_location.Directory != null)
            Directory.CreateDirectory(_location.Directory);

        var connection = new SQLiteConnection(_location.ConnectionString);
        try
        {
            connection.Open();
            string? journalMode;
            using (var command = connection.CreateCommand())
            {
                // The busy timeout comes first: switching to WAL takes a lock that another writer may hold.
                command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}");
                command.ExecuteNonQuery();
                // Reads only: a file that is not ours, or not a database, is refused before anything is written to it.
                SchemaMigrator.CheckCompatible(connection, _location.Description, _logs, _metrics);
                // Before the switch to WAL, which writes a new file's first page and so fixes what it can take.
                SchemaMigrator.PrepareNewFile(connection, _incrementalAutoVacuum);

                command.CommandText = "PRAGMA journal_mode = WAL";
                journalMode = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (journalMode is not ("wal" or "memory"))
                    SelfLog.WriteLine("SqliteWorker: {0} could not switch to WAL and uses journal mode {1}; readers may block the writer",
                        _location.Description, journalMode);
                command.CommandText = _synchronousPragma;
                command.ExecuteNonQuery();
                command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA journal_size_limit = {JournalSizeLimitBytes}");
                command.ExecuteNonQuery();
                if (journalMode == "wal")
                    WalCheckpointer.SetWriterBackstop(connection);
            }

            SchemaMigrator.Apply(connection, _location.Description, _logs, _metrics);
            _connection = connection;
            _logInsert = new TableInsert(connection, _logs, RowsPerStatement);
            _metricInsert = new TableInsert(connection, _metrics, RowsPerStatement);
            if (journalMode == "wal")
                _checkpointer = StartCheckpointer(connection);
            // The log exists once the schema has been read and written through it.
            if (journalMode == "wal" && _location.FilePath != null)
                (_walPath, _walIdentity) = (_location.FilePath + "-wal", DiskEntry.At(_location.FilePath + "-wal").Identity);
            _lastBatchEvents = 0;
            return connection;
        }
        catch
        {
            Close();
            connection.Dispose();
            throw;
        }
    }

    WalCheckpointer? StartCheckpointer(SQLiteConnection connection)
    {
        try
        {
            return new WalCheckpointer(_location.ConnectionString, _location.Description);
        }
        catch (Exception ex)
        {
            // Writing does not depend on it: the writer goes back to SQLite's default of checkpointing by itself.
            SelfLog.WriteLine("SqliteWorker: the background checkpointer for {0} could not start; the writer checkpoints by itself: {1}",
                _location.Description, ex);
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_autocheckpoint = 1000";
            command.ExecuteNonQuery();
            return null;
        }
    }

    void Notify(SqliteWorkerBatchWritten written)
    {
        try
        {
            _onBatchWritten!(written);
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("SqliteWorker: the OnBatchWritten callback threw; the batch was written all the same: {0}", ex);
        }
    }

    void Close()
    {
        // The statements first: they belong to the connection.
        _logInsert?.Dispose();
        _metricInsert?.Dispose();
        _connection?.Dispose();
        // After the writer's connection, so that the checkpointer's, closing last, checkpoints what is left.
        _checkpointer?.Dispose();
        _checkpointer = null;
        _logInsert = null;
        _metricInsert = null;
        _connection = null;
        _walPath = null;
    }

    /// <summary>Reports events that leave the queue unwritten, through the logger's failure listeners, and counts them.</summary>
    void Drop(IReadOnlyCollection<LogEvent> events, LoggingFailureKind kind, string message, Exception? exception)
    {
        _counters.Discarded(events.Count);
        _failures.Report(kind, message, events, exception, this);
    }

    public void Dispose()
    {
        Close();
        _directQueue?.Dispose();
    }

    public override string ToString() => $"SqliteWorker({_location.Description})";
}
