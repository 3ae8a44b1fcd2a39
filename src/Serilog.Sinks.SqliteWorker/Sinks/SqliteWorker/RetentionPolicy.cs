using System.Data.SQLite;
using System.Diagnostics;
using Serilog.Core;
using Serilog.Debugging;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Deletes what the retention options say should go: rows older than the retention period, and the oldest rows while
/// the used part of the file is larger than the size limit. It runs on the sink's writer between batches, a chunk of
/// rows per transaction and a few chunks per turn, so the next batch never waits long; a backlog takes several turns.
/// It only deletes rows: the file is never vacuumed, copied, renamed or deleted, and freed pages are reused by later
/// rows (see the README's Retention section for why there is no auto-vacuum).
/// </summary>
sealed class RetentionPolicy
{
    /// <summary>The smallest size limit accepted: below it the schema and one batch leave no room for rows.</summary>
    public const long MinimumDatabaseSize = 1024 * 1024;

    /// <summary>Rows deleted per statement, and so per transaction.</summary>
    public const int ChunkRows = 2000;

    /// <summary>Once the used size passes the limit, rows are deleted until it is back under this share of it.</summary>
    const double LowWaterMark = 0.9;

    /// <summary>A turn deletes chunks until this much time has gone, then lets the next batch be written.</summary>
    public static readonly TimeSpan DefaultTurnBudget = TimeSpan.FromMilliseconds(50);

    // When no expired row was left, the next look for them waits this long; a backlog is worked on at every chance.
    static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    // After a failure (a lock held by another writer, a full disk), retention waits before trying again.
    static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    readonly TimeSpan? _period;
    readonly long? _maxBytes;
    readonly TimeSpan _turnBudget;
    readonly string _databaseDescription;
    readonly FailureReporter _failures;
    readonly object _sender;
    readonly string _deleteExpiredLogsSql;
    readonly string _deleteExpiredMetricsSql;
    readonly string _deleteFirstLogsSql;
    readonly string _deleteFirstMetricsSql;
    readonly string _oldestRowsSql;

    long _retryAt;
    long _nextExpiryCheckAt;
    bool _makingRoom;
    bool _reportedNothingLeftToDelete;

    RetentionPolicy(SqliteWorkerSinkOptions options, TableSchema logs, TableSchema metrics, string databaseDescription,
        FailureReporter failures, object sender, TimeSpan turnBudget)
    {
        _period = options.RetentionPeriod;
        _maxBytes = options.MaxDatabaseSize;
        _turnBudget = turnBudget;
        _databaseDescription = databaseDescription;
        _failures = failures;
        _sender = sender;

        var logsTable = SqlIdentifier.Quote(logs.Name);
        var metricsTable = SqlIdentifier.Quote(metrics.Name);
        // Each finds its rows through an index: ix_logs_timestamp, and for metrics ix_metrics_metric_name_timestamp
        // one metric name at a time, the names themselves read by skipping through the same index.
        _deleteExpiredLogsSql =
            $"DELETE FROM {logsTable} WHERE id IN (SELECT id FROM {logsTable} WHERE timestamp < @cutoff LIMIT @rows)";
        _deleteExpiredMetricsSql =
            $"DELETE FROM {metricsTable} WHERE id IN (WITH RECURSIVE names(name) AS (" +
            $"SELECT (SELECT min(metric_name) FROM {metricsTable}) UNION ALL " +
            $"SELECT (SELECT min(metric_name) FROM {metricsTable} WHERE metric_name > names.name) FROM names WHERE names.name IS NOT NULL) " +
            $"SELECT m.id FROM names JOIN {metricsTable} m ON m.metric_name = names.name AND m.timestamp < @cutoff LIMIT @rows)";
        // The oldest rows are the first written: the start of each table's rowid order, read without sorting.
        _deleteFirstLogsSql = $"DELETE FROM {logsTable} WHERE id IN (SELECT id FROM {logsTable} ORDER BY id LIMIT @rows)";
        _deleteFirstMetricsSql = $"DELETE FROM {metricsTable} WHERE id IN (SELECT id FROM {metricsTable} ORDER BY id LIMIT @rows)";
        // The first row's timestamp in each table, and about how many rows both hold (ids are deleted from the start).
        // Each min() and max() is a subquery of its own: only a lone min or max is read from the end of the b-tree.
        _oldestRowsSql =
            $"SELECT (SELECT timestamp FROM {logsTable} ORDER BY id LIMIT 1), (SELECT timestamp FROM {metricsTable} ORDER BY id LIMIT 1), " +
            $"coalesce((SELECT max(id) FROM {logsTable}) - (SELECT min(id) FROM {logsTable}) + 1, 0) + " +
            $"coalesce((SELECT max(id) FROM {metricsTable}) - (SELECT min(id) FROM {metricsTable}) + 1, 0)";
    }

    /// <summary>
    /// The policy the options ask for, or null when they set neither a retention period nor a size limit. Failures are
    /// reported to <paramref name="failures"/>' listener as coming from <paramref name="sender"/>. A turn deletes for
    /// <paramref name="turnBudget"/>, <see cref="DefaultTurnBudget"/> unless a test wants one chunk per turn (zero).
    /// </summary>
    public static RetentionPolicy? Create(SqliteWorkerSinkOptions options, TableSchema logs, TableSchema metrics,
        string databaseDescription, FailureReporter failures, object sender, TimeSpan? turnBudget = null) =>
        options.RetentionPeriod == null && options.MaxDatabaseSize == null
            ? null
            : new RetentionPolicy(options, logs, metrics, databaseDescription, failures, sender, turnBudget ?? DefaultTurnBudget);

    /// <summary>
    /// Deletes for one turn if one is due. Never throws: a failure is reported through the failure listener and tried
    /// again later, and has no effect on the batches, which are already committed.
    /// </summary>
    /// <param name="connection">The writer's open connection, with no transaction; null when the sink has none open.</param>
    /// <param name="eventsWaiting">The events queued for the writer. When a batch or more is waiting, the turn
    /// deletes one chunk only: logging keeps up, and the backlog still shrinks by a chunk per batch.</param>
    public void RunIfDue(SQLiteConnection? connection, int eventsWaiting)
    {
        if (connection == null || Environment.TickCount64 < _retryAt)
            return;

        try
        {
            Turn(connection, eventsWaiting >= SqliteWorkerLoggerConfigurationExtensions.DefaultBatchSizeLimit ? TimeSpan.Zero : _turnBudget);
        }
        catch (Exception ex)
        {
            _retryAt = Environment.TickCount64 + (long)RetryInterval.TotalMilliseconds;
            Report($"deleting old rows from {_databaseDescription} failed and is tried again in {RetryInterval.TotalSeconds:0} s; " +
                $"logging carries on: {ex.Message}", ex);
        }
    }

    /// <summary>Deletes chunks until nothing is left to delete or <paramref name="budget"/> is spent (one chunk at least).</summary>
    void Turn(SQLiteConnection connection, TimeSpan budget)
    {
        var started = Stopwatch.GetTimestamp();
        using var command = connection.CreateCommand();
        // The size is read at every turn, since a few batches can fill the limit; expired rows are looked for at most
        // once per CheckInterval, unless the last look left some behind.
        var lookForExpired = _period != null && Environment.TickCount64 >= _nextExpiryCheckAt;
        while (true)
        {
            if (lookForExpired && !DeleteExpired(command))
            {
                lookForExpired = false;
                _nextExpiryCheckAt = Environment.TickCount64 + (long)CheckInterval.TotalMilliseconds;
            }

            if (!lookForExpired && !(_maxBytes is { } maxBytes && MakeRoom(command, maxBytes)))
                return;

            if (Stopwatch.GetElapsedTime(started) >= budget)
                return;
        }
    }

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

    /// <summary>
    /// Deletes a chunk of the oldest rows when the used size is over the limit, or still over the low-water mark after
    /// it was; false when there is nothing to do.
    /// </summary>
    bool MakeRoom(SQLiteCommand command, long maxBytes)
    {
        var used = UsedBytes(command);
        var target = (long)(maxBytes * LowWaterMark);
        _makingRoom = used > maxBytes || (_makingRoom && used > target);
        if (!_makingRoom)
            return false;

        command.CommandText = _oldestRowsSql;
        command.Parameters.Clear();
        string? firstLog, firstMetric;
        long rows;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            firstLog = reader.IsDBNull(0) ? null : reader.GetString(0);
            firstMetric = reader.IsDBNull(1) ? null : reader.GetString(1);
            rows = reader.GetInt64(2);
        }

        if (firstLog == null && firstMetric == null)
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
        // Timestamps sort as text; of the two tables, the one whose first row is older gives up a chunk.
        var fromLogs = firstMetric == null || (firstLog != null && string.CompareOrdinal(firstLog, firstMetric) <= 0);
        return Delete(command, fromLogs ? _deleteFirstLogsSql : _deleteFirstMetricsSql, cutoff: null, toDelete) > 0;
    }

    /// <summary>The bytes of the main file in use: its pages less the free ones, which later rows reuse.</summary>
    static long UsedBytes(SQLiteCommand command)
    {
        command.Parameters.Clear();
        command.CommandText = "SELECT page_count, freelist_count, page_size FROM pragma_page_count(), pragma_freelist_count(), pragma_page_size()";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0) - reader.GetInt64(1)) * reader.GetInt64(2);
    }

    static int Delete(SQLiteCommand command, string sql, string? cutoff, int rows)
    {
        command.CommandText = sql;
        command.Parameters.Clear();
        if (cutoff != null)
            command.Parameters.AddWithValue("@cutoff", cutoff);
        command.Parameters.AddWithValue("@rows", rows);
        return command.ExecuteNonQuery();
    }

    void Report(string message, Exception exception) =>
        _failures.Report(LoggingFailureKind.Temporary, message, events: null, exception, _sender);
}
