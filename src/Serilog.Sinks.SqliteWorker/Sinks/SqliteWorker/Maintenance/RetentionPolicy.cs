using System.Data.SQLite;
using System.Diagnostics;
using System.Globalization;
using Serilog.Core;
using Serilog.Debugging;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Deletes what the retention options say should go: rows older than the retention period, and the oldest rows while
/// the used part of the file is larger than the size limit, oldest by timestamp across the logs and metrics tables. Under a size limit it then gives the free pages beyond the
/// limit back to the disk with <c>PRAGMA incremental_vacuum</c>, in a file made with incremental auto-vacuum (the sink
/// makes a new file so when a size limit is set); the free pages under the limit stay for the next rows, so that
/// deleting the oldest rows and writing the newest does not shrink and regrow the file. It runs on the sink's writer
/// between batches, a chunk of rows or pages per transaction and a few chunks per turn, so the next batch never waits
/// long; a backlog takes several turns. The file is never copied, renamed, deleted or fully vacuumed; one made without
/// auto-vacuum keeps its size, which is said once through SelfLog. When the disk is nearly full, each chunk of deletes
/// first waits for the WAL to be copied back, as vacuum chunks always do, so that the deletes never take the room the
/// checkpoint needs to grow the main file (see <see cref="DiskNearlyFull"/>).
/// </summary>
sealed class RetentionPolicy
{
    /// <summary>The smallest size limit accepted: below it the schema and one batch leave no room for rows.</summary>
    public const long MinimumDatabaseSize = 1024 * 1024;

    /// <summary>Rows deleted per statement, and so per transaction.</summary>
    public const int ChunkRows = 2000;

    /// <summary>
    /// Bytes of pages given back to the disk per <c>PRAGMA incremental_vacuum</c> statement, and so per transaction:
    /// 128 pages of 4 KB, 32 of 16 KB. A chunk's pause and the WAL it writes grow with the bytes it moves, not with the
    /// number of pages, so the chunk is the same size whatever the file's page size.
    /// </summary>
    public const long VacuumChunkBytes = 512 * 1024;

    // The values of PRAGMA auto_vacuum (1 is full auto-vacuum).
    const long NoAutoVacuum = 0;
    const long IncrementalAutoVacuum = 2;

    /// <summary>Once the used size passes the limit, rows are deleted until it is back under this share of it.</summary>
    const double LowWaterMark = 0.9;

    /// <summary>A turn deletes chunks until this much time has gone, then lets the next batch be written.</summary>
    public static readonly TimeSpan DefaultTurnBudget = TimeSpan.FromMilliseconds(50);

    // When no expired row was left, the next look for them waits this long; a backlog is worked on at every chance.
    static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    // After a failure (a lock held by another writer, a full disk), retention waits before trying again.
    static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Free disk space beyond the WAL's size under which deletes wait for the WAL to be copied back. A chunk of deletes
    /// adds its pages to the WAL before the checkpoint that copies them: 2000 rows of about 250 bytes with two indexes
    /// wrote 0.5 MB, and a vacuum chunk moves 0.5 MB of pages. 4 MB covers such a chunk several times over, and is
    /// small enough that a disk with that much free is nearly full.
    /// </summary>
    public const long DiskSpaceMargin = 4L * 1024 * 1024;

    readonly TimeSpan? _period;
    readonly long? _maxBytes;
    readonly TimeSpan _turnBudget;
    readonly string _databaseDescription;
    readonly string? _walPath;
    readonly DriveInfo? _drive;
    readonly FailureReporter _failures;
    readonly string _deleteExpiredLogsSql;
    readonly string _deleteExpiredMetricsSql;
    readonly string _deleteOldestLogsSql;
    readonly string _deleteOldestMetricsSql;
    readonly string _rowCountSql;
    readonly string _oldestRowsCutoffSql;

    long _retryAt;
    long _nextExpiryCheckAt;
    bool _makingRoom;
    bool _reportedNothingLeftToDelete;
    bool _reportedCannotShrink;
    bool _givingSpaceBack;

    // The auto-vacuum mode of the file behind this connection: it changes only with a full VACUUM, so it is read once
    // for each connection the writer opens.
    SQLiteConnection? _autoVacuumReadOn;
    long _autoVacuum;

    RetentionPolicy(SqliteWorkerSinkOptions options, TableSchema logs, TableSchema metrics, DatabaseLocation location,
        FailureReporter failures, TimeSpan turnBudget)
    {
        _period = options.RetentionPeriod;
        _maxBytes = options.MaxDatabaseSize;
        _turnBudget = turnBudget;
        _databaseDescription = location.Description;
        if (location is { FilePath: { } file, Directory: { } folder })
        {
            _walPath = file + "-wal";
            _drive = VolumeOf(folder);
        }

        _failures = failures;

        var logsTable = SqlIdentifier.Quote(logs.Name);
        var metricsTable = SqlIdentifier.Quote(metrics.Name);
        // Each finds its rows through an index: ix_logs_timestamp, and for metrics ix_metrics_metric_name_timestamp
        // one metric name at a time, the names themselves read by skipping through the same index. Expired rows are
        // those before the cutoff; under a size limit, the oldest rows are those at or before it.
        string DeleteLogsSql(string comparison) =>
            $"DELETE FROM {logsTable} WHERE id IN (SELECT id FROM {logsTable} WHERE timestamp {comparison} @cutoff ORDER BY timestamp LIMIT @rows)";
        string DeleteMetricsSql(string comparison) =>
            $"DELETE FROM {metricsTable} WHERE id IN (WITH RECURSIVE names(name) AS (" +
            $"SELECT (SELECT min(metric_name) FROM {metricsTable}) UNION ALL " +
            $"SELECT (SELECT min(metric_name) FROM {metricsTable} WHERE metric_name > names.name) FROM names WHERE names.name IS NOT NULL) " +
            $"SELECT m.id FROM names JOIN {metricsTable} m ON m.metric_name = names.name AND m.timestamp {comparison} @cutoff LIMIT @rows)";
        _deleteExpiredLogsSql = DeleteLogsSql("<");
        _deleteExpiredMetricsSql = DeleteMetricsSql("<");
        _deleteOldestLogsSql = DeleteLogsSql("<=");
        _deleteOldestMetricsSql = DeleteMetricsSql("<=");
        // About how many rows both tables hold (ids are deleted from the start). Each min() and max() is a subquery of
        // its own: only a lone min or max is read from the end of the b-tree.
        _rowCountSql =
            $"SELECT coalesce((SELECT max(id) FROM {logsTable}) - (SELECT min(id) FROM {logsTable}) + 1, 0) + " +
            $"coalesce((SELECT max(id) FROM {metricsTable}) - (SELECT min(id) FROM {metricsTable}) + 1, 0)";
        // The timestamp of the @rows-th oldest row of the two tables together: of the logs' oldest, read through
        // ix_logs_timestamp, and the metrics' first written, read in rowid order, since no index has their timestamp first.
        _oldestRowsCutoffSql =
            $"SELECT max(timestamp) FROM (SELECT timestamp FROM (SELECT timestamp FROM {logsTable} ORDER BY timestamp LIMIT @rows) " +
            $"UNION ALL SELECT timestamp FROM (SELECT timestamp FROM {metricsTable} ORDER BY id LIMIT @rows) ORDER BY timestamp LIMIT @rows)";
    }

    /// <summary>
    /// The policy the options ask for, or null when they set neither a retention period nor a size limit. Failures are
    /// reported to <paramref name="failures"/>' listener. A turn deletes for
    /// <paramref name="turnBudget"/>, <see cref="DefaultTurnBudget"/> unless a test wants one chunk per turn (zero).
    /// </summary>
    public static RetentionPolicy? Create(SqliteWorkerSinkOptions options, TableSchema logs, TableSchema metrics,
        DatabaseLocation location, FailureReporter failures, TimeSpan? turnBudget = null) =>
        options.RetentionPeriod == null && options.MaxDatabaseSize == null
            ? null
            : new RetentionPolicy(options, logs, metrics, location, failures, turnBudget ?? DefaultTurnBudget);

    /// <summary>
    /// Deletes, or gives space back, for one turn if one is due. Never throws: a failure is reported through the
    /// failure listener and tried again later, and has no effect on the batches, which are already committed.
    /// </summary>
    /// <param name="connection">The writer's open connection, with no transaction; null when the sink has none open.</param>
    /// <param name="batchWaiting">Whether a full batch or more is queued for the writer. Then the turn runs one chunk
    /// only: logging keeps up, and the backlog still shrinks by a chunk per batch.</param>
    /// <returns>Whether the turn may have changed the file: the caller then asks for a checkpoint, since in WAL mode
    /// the main file shrinks only when a checkpoint has copied the whole log into it.</returns>
    public bool RunIfDue(SQLiteConnection? connection, bool batchWaiting)
    {
        if (connection == null || Environment.TickCount64 < _retryAt)
            return false;

        try
        {
            return Turn(connection, batchWaiting ? TimeSpan.Zero : _turnBudget);
        }
        catch (Exception ex)
        {
            _retryAt = Environment.TickCount64 + (long)RetryInterval.TotalMilliseconds;
            var work = _givingSpaceBack ? $"giving free space in {_databaseDescription} back to the disk" : $"deleting old rows from {_databaseDescription}";
            Report($"{work} failed and is tried again in {RetryInterval.TotalSeconds:0} s; logging carries on: {ex.Message}", ex);
            return true;
        }
    }

    /// <summary>
    /// Runs chunks until nothing is left to do or <paramref name="budget"/> is spent (one chunk at least); true when
    /// it ran any.
    /// </summary>
    bool Turn(SQLiteConnection connection, TimeSpan budget)
    {
        var started = Stopwatch.GetTimestamp();
        using var command = connection.CreateCommand();
        // The size is read at every turn, since a few batches can fill the limit; expired rows are looked for at most
        // once per CheckInterval, unless the last look left some behind.
        var lookForExpired = _period != null && Environment.TickCount64 >= _nextExpiryCheckAt;
        var ranAny = false;
        _givingSpaceBack = false;
        while (true)
        {
            // On a nearly full disk a delete waits for the WAL, and the turn ends until the next asks again.
            if (lookForExpired && !MayDelete(command))
                return ranAny;
            if (lookForExpired && !DeleteExpired(command))
            {
                lookForExpired = false;
                _nextExpiryCheckAt = Environment.TickCount64 + (long)CheckInterval.TotalMilliseconds;
            }

            // Space is given back only once no more rows are to go, so that it is not given back and then taken again.
            if (!lookForExpired && !(_maxBytes is { } maxBytes && KeepUnderLimit(connection, command, maxBytes)))
                return ranAny;

            ranAny = true;
            if (Stopwatch.GetElapsedTime(started) >= budget)
                return true;
        }
    }

    /// <summary>
    /// Deletes a chunk of the oldest rows or gives a chunk of pages back; false when neither is needed, or when it has
    /// to wait for the next turn.
    /// </summary>
    bool KeepUnderLimit(SQLiteConnection connection, SQLiteCommand command, long maxBytes)
    {
        var pages = PageCounts.Read(command);
        if (NeedsRoom(pages, maxBytes))
            return MayDelete(command) && DeleteOldest(command, pages, maxBytes);

        // Moving pages writes them to the WAL before the main file shrinks. A chunk waits until the WAL has been copied
        // back, so that it writes over the WAL from its start rather than making it grow by a turn's worth of chunks:
        // the space is given back at the next checkpoint, and a nearly full disk keeps room for that checkpoint.
        var excessPages = PagesToGiveBack(connection, command, pages, maxBytes);
        return excessPages > 0 && WalCopiedBack(command) && GiveSpaceBack(command, excessPages, pages.Size);
    }

    /// <summary>The pages in a chunk of <see cref="VacuumChunkBytes"/>, in a file of <paramref name="pageSize"/>-byte pages.</summary>
    public static long VacuumChunkPages(long pageSize) => Math.Max(1, VacuumChunkBytes / pageSize);

    /// <summary>Deletes up to <see cref="ChunkRows"/> expired rows in one statement; false when there were none.</summary>
    bool DeleteExpired(SQLiteCommand command)
    {
        var period = _period!.Value;
        // A period longer than the calendar reaches back has no cutoff: nothing is that old.
        if (period.Ticks >= DateTime.UtcNow.Ticks)
            return false;

        var cutoff = TimestampText.Format(DateTimeOffset.UtcNow - period);
        return Delete(command, _deleteExpiredLogsSql, cutoff, ChunkRows) > 0 || Delete(command, _deleteExpiredMetricsSql, cutoff, ChunkRows) > 0;
    }

    /// <summary>Whether the used size is over the limit, or still over the low-water mark after it was.</summary>
    bool NeedsRoom(PageCounts pages, long maxBytes)
    {
        _makingRoom = pages.UsedBytes > maxBytes || (_makingRoom && pages.UsedBytes > (long)(maxBytes * LowWaterMark));
        return _makingRoom;
    }

    /// <summary>
    /// Deletes a chunk of the oldest rows of the two tables, by timestamp, enough to bring the used size under the
    /// low-water mark, in one transaction; false when none are left.
    /// </summary>
    bool DeleteOldest(SQLiteCommand command, PageCounts pages, long maxBytes)
    {
        var used = pages.UsedBytes;
        var target = (long)(maxBytes * LowWaterMark);
        command.SetSql(_rowCountSql);
        var rows = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (rows == 0)
        {
            _makingRoom = false;
            if (!_reportedNothingLeftToDelete)
            {
                _reportedNothingLeftToDelete = true;
                SelfLog.WriteLine("SqliteWorker: {0} uses {1} bytes, more than maxDatabaseSize ({2}), though the sink's tables are " +
                                  "empty; the rest belongs to other tables, which the sink leaves alone", _databaseDescription, used, maxBytes);
            }

            return false;
        }

        // As many rows as should free the excess at the average row's size, so that a small limit is not overshot by
        // a whole chunk; pages are freed only when empty, so the next chunk takes what this one leaves.
        var toDelete = (int)Math.Clamp((used - target) * (double)rows / used, 1, ChunkRows);
        command.SetSql(_oldestRowsCutoffSql);
        command.Parameters.AddWithValue("@rows", toDelete);
        // Timestamps sort as text. Rows at or before the cutoff go from both tables, whichever holds them: a table of
        // sparse rows keeps its newer ones while a dense one beside it still has older.
        if (command.ExecuteScalar() is not string cutoff)
            return false;

        using var transaction = command.Connection.BeginTransaction();
        var deleted = Delete(command, _deleteOldestLogsSql, cutoff, toDelete);
        if (deleted < toDelete)
            deleted += Delete(command, _deleteOldestMetricsSql, cutoff, toDelete - deleted);
        transaction.Commit();
        return deleted > 0;
    }

    /// <summary>
    /// The free pages to give back: those beyond the limit, in a file that can give them back; zero for a file made
    /// without auto-vacuum, which is said once. The free pages under the limit stay: the next rows are written there.
    /// </summary>
    long PagesToGiveBack(SQLiteConnection connection, SQLiteCommand command, PageCounts pages, long maxBytes)
    {
        var excess = Math.Min(pages.Count - maxBytes / pages.Size, pages.Free);
        if (excess <= 0)
            return 0;

        switch (AutoVacuum(connection, command))
        {
            case IncrementalAutoVacuum:
                return excess;
            case NoAutoVacuum when !_reportedCannotShrink:
                _reportedCannotShrink = true;
                SelfLog.WriteLine("SqliteWorker: {0} is {1} bytes, more than maxDatabaseSize ({2}). Its oldest rows are deleted and the room " +
                                  "they leave is reused, but the file was made without incremental auto-vacuum, so it cannot give space back " +
                                  "to the disk. To let it shrink, stop the application and run: sqlite3 {0} \"PRAGMA auto_vacuum = INCREMENTAL; " +
                                  "VACUUM;\" (VACUUM rewrites the whole file, and needs as much free disk space again while it runs)",
                    _databaseDescription, pages.FileBytes, maxBytes);
                return 0;
            default:
                // Full auto-vacuum gives free pages back by itself at every commit.
                return 0;
        }
    }

    /// <summary>Gives up to <see cref="VacuumChunkBytes"/> of <paramref name="excessPages"/> back to the disk in one statement.</summary>
    bool GiveSpaceBack(SQLiteCommand command, long excessPages, long pageSize)
    {
        // The page count is a number of ours, not a value from outside; a pragma takes no bound parameters.
        command.SetSql(string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA incremental_vacuum({Math.Min(excessPages, VacuumChunkPages(pageSize))})"));
        _givingSpaceBack = true;
        command.ExecuteNonQuery();
        _givingSpaceBack = false;
        return true;
    }

    /// <summary>
    /// Whether a chunk of deletes may be written now: always while the disk has room, and on a nearly full disk only
    /// once the WAL has been copied back, so that the chunk writes over the WAL from its start.
    /// </summary>
    bool MayDelete(SQLiteCommand command) => !DiskNearlyFull() || WalCopiedBack(command);

    /// <summary>
    /// Whether the free space on the file's volume is less than what the next checkpoint may need: the WAL's size, since
    /// copying it back can grow the main file by as much (to the size its last commit left the database), plus
    /// <see cref="DiskSpaceMargin"/> for the chunk written before that checkpoint. Deletes written to a WAL that cannot
    /// be copied back, because the main file cannot grow, would take the last free bytes and leave every later batch
    /// failing. False for in-memory and URI databases, and when the free space cannot be read. Two stat calls, no scans.
    /// </summary>
    bool DiskNearlyFull()
    {
        if (_drive == null)
            return false;

        try
        {
            var free = _drive.AvailableFreeSpace;
            var wal = new FileInfo(_walPath!);
            return free < (wal.Exists ? wal.Length : 0) + DiskSpaceMargin;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The volume that holds <paramref name="folder"/>; null where it cannot be named (such as a UNC path on Windows).</summary>
    static DriveInfo? VolumeOf(string folder)
    {
        try
        {
            // On Unix the free space is read with statvfs on the folder itself, so it is that of the mount holding it.
            return new DriveInfo(OperatingSystem.IsWindows() ? Path.GetPathRoot(folder)! : folder);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Copies what is left of the WAL into the main file, usually nothing (the checkpointer thread has done it), and
    /// says whether all of it is there now; true when the file is not in WAL mode. It does not wait: when another
    /// checkpoint is running, or a reader still needs the WAL, the answer is false and the next turn asks again.
    /// </summary>
    static bool WalCopiedBack(SQLiteCommand command)
    {
        command.SetSql("PRAGMA wal_checkpoint(PASSIVE)");
        using var reader = command.ExecuteReader();
        reader.Read();
        // busy (another checkpoint was running), frames in the WAL, frames copied; -1 and -1 when not in WAL mode.
        return reader.GetInt64(0) == 0 && reader.GetInt64(1) == reader.GetInt64(2);
    }

    long AutoVacuum(SQLiteConnection connection, SQLiteCommand command)
    {
        if (!ReferenceEquals(connection, _autoVacuumReadOn))
        {
            command.SetSql("PRAGMA auto_vacuum");
            _autoVacuum = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            _autoVacuumReadOn = connection;
        }

        return _autoVacuum;
    }

    /// <summary>The main file's pages: all of them, the free ones (which later rows reuse), and their size in bytes.</summary>
    readonly record struct PageCounts(long Count, long Free, long Size)
    {
        public long FileBytes => Count * Size;

        /// <summary>The bytes in use: the file less its free pages.</summary>
        public long UsedBytes => (Count - Free) * Size;

        public static PageCounts Read(SQLiteCommand command)
        {
            command.SetSql("SELECT page_count, freelist_count, page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()");
            using var reader = command.ExecuteReader();
            reader.Read();
            return new PageCounts(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        }
    }

    static int Delete(SQLiteCommand command, string sql, string? cutoff, int rows)
    {
        command.SetSql(sql);
        if (cutoff != null)
            command.Parameters.AddWithValue("@cutoff", cutoff);
        command.Parameters.AddWithValue("@rows", rows);
        return command.ExecuteNonQuery();
    }

    void Report(string message, Exception exception) =>
        _failures.Report(LoggingFailureKind.Temporary, message, events: null, exception);
}
