using System.Data.SQLite;
using System.Diagnostics;
using Serilog.Core;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Writes each batch of queued rows in one SQLite transaction: all of it or none of it, so a batch that fails can be
/// retried without duplicating rows. A row the database refuses is set aside, reported and dropped, and the rest of its
/// batch written; when the file cannot be used at all, batches are dropped and reported. <see cref="SqliteWorkerSink"/>
/// calls it from its writer thread alone.
/// </summary>
sealed class BatchWriter : IDisposable
{
    readonly DatabaseLocation _location;
    readonly SqliteWorkerSinkOptions _options;
    readonly SinkCounters _counters;
    readonly FailureReporter _failures;
    readonly IFormatProvider? _formatProvider;
    readonly IReadOnlyList<PropertyColumn> _customColumns;

    // Set when the file cannot be used until someone fixes it; from then on batches are dropped and reported.
    string? _offlineBecause;

    WriterConnection? _open;
    // Events in the last batch written: what may have gone to a file deleted since the check before it.
    int _lastBatchEvents;
    // Set when a write found the disk full, until the write-ahead log has been emptied and truncated again.
    bool _diskWasFull;

    // The log rows of the batch being written, by level, for OnBatchWritten; counted again at each attempt.
    LevelCounts _logsByLevel;

    public BatchWriter(SqliteWorkerSinkOptions options, DatabaseLocation location, SinkCounters counters, FailureReporter failures)
    {
        _location = location;
        _options = options;
        var customColumns = options.CustomColumns.Select(c => new PropertyColumn(c)).ToList();
        Logs = SinkSchema.Logs(options.LogsTableName, customColumns);
        Metrics = SinkSchema.Metrics(options.MetricsTableName);
        _counters = counters;
        _failures = failures;
        _formatProvider = options.FormatProvider;
        _customColumns = customColumns;
    }

    /// <summary>The logs table the writer writes.</summary>
    public TableSchema Logs { get; }

    /// <summary>The metrics table the writer writes.</summary>
    public TableSchema Metrics { get; }

    /// <summary>The open connection, with no transaction between batches; null when none is open.</summary>
    public SQLiteConnection? Connection => _open?.Connection;

    /// <summary>A queue whose rows this writer can write: rendered with its format provider and custom columns.</summary>
    public RowQueue CreateQueue() => new(_formatProvider, _customColumns, Logs.Columns.Count);

    /// <summary>
    /// Writes the rows in one transaction, or row by row when the database refuses one of them, which is then reported
    /// and dropped. Rows that cannot be written because the file is unusable are reported and dropped too.
    /// </summary>
    /// <returns>What the batch added, or null when none of it could be written and it was dropped and reported.</returns>
    /// <exception cref="IOException">Nothing of the batch was written, for a reason that may pass: a lock, a full disk, an I/O error.</exception>
    public WrittenBatch? Write(RowBatch batch)
    {
        if (_offlineBecause != null)
        {
            _counters.Discarded(batch.Count);
            _failures.ReportUnusable(batch);
            return null;
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
            return null;
        }

        _counters.Written(logs, metrics);
        _lastBatchEvents = logs + metrics;
        return new WrittenBatch(logs, metrics, _logsByLevel, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// Asks the background checkpointer to copy the write-ahead log into the database, unless the disk was found full:
    /// then the writer empties the log itself before the next batch.
    /// </summary>
    public void RequestCheckpoint()
    {
        if (!_diskWasFull)
            _open?.Checkpointer?.Request();
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
            if (_open != null)
                LetGoOfTheFileIfItIsGone(_open);
            var open = _open ?? Open();
            var connection = open.Connection;
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
                        open.Metrics.Add(segment, row);
                        metrics++;
                    }
                    else
                    {
                        open.Logs.Add(segment, row);
                        logs++;
                        _logsByLevel.Add(segment.Level(row));
                    }
                }

                open.Logs.Flush();
                open.Metrics.Flush();
            }
            finally
            {
                open.Logs.Clear();
                open.Metrics.Clear();
            }

            transaction.Commit();
            if (_diskWasFull)
                _diskWasFull = !GiveTheLogsSpaceBack(connection);
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
            var open = _open ?? Open();
            (logs, metrics, refused) = RowByRowFallback.Write(open.Connection, batch.Rows().ToList(), row => WriteRow(open, row));
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
    bool WriteRow(WriterConnection open, (RowSegment Segment, int Row) queued)
    {
        var (segment, row) = queued;
        var isMetric = segment.IsMetric(row);
        var insert = isMetric ? open.Metrics : open.Logs;
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
    void LetGoOfTheFileIfItIsGone(WriterConnection open)
    {
        var connection = open.Connection;
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
                events: null, exception: null);
            return;
        }

        // Where the system cannot say which file it is (identity 0), that it is there has to do.
        if (open.WalPath is not { } walPath
            || DiskEntry.At(walPath) is { Kind: DiskEntryKind.File } wal && (wal.Identity == open.WalIdentity || wal.Identity == 0 || open.WalIdentity == 0))
            return;

        // SQLite still reads the deleted log through the handle it has open: a checkpoint copies it into the database.
        var copied = CopyTheLogIntoTheDatabase(connection);
        Close();
        _failures.Report(copied ? LoggingFailureKind.Temporary : LoggingFailureKind.Permanent,
            $"the write-ahead log of {_location.Description} ('{walPath}') was deleted or replaced while the sink was " +
            (copied ? "writing to it. Nothing was lost: what it held has been copied into the database, and the sink opens the file again with a new log"
                : "writing to it, and part of it could not be copied into the database: the latest rows may be missing. The sink opens the file again with a new log"),
            events: null, exception: null);
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

    WriterConnection Open()
    {
        _open = WriterConnection.Open(_location, Logs, Metrics, _options);
        _lastBatchEvents = 0;
        return _open;
    }

    void Close()
    {
        _open?.Dispose();
        _open = null;
    }

    /// <summary>Reports events that leave the queue unwritten, through the logger's failure listeners, and counts them.</summary>
    void Drop(IReadOnlyCollection<LogEvent> events, LoggingFailureKind kind, string message, Exception? exception)
    {
        _counters.Discarded(events.Count);
        _failures.Report(kind, message, events, exception);
    }

    public void Dispose() => Close();

    public override string ToString() => $"SqliteWorker({_location.Description})";
}

/// <summary>What one batch added to the file, and how long writing it took.</summary>
readonly record struct WrittenBatch(int Logs, int Metrics, LevelCounts LogsByLevel, TimeSpan Elapsed);
