using System.Data.SQLite;
using System.Diagnostics;
using System.Globalization;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Writes each batch that Serilog's batching hands over in one SQLite transaction: all of it or none of it, so a batch
/// that fails can be retried without duplicating rows. Serilog never calls it concurrently.
/// </summary>
sealed class SqliteWorkerSink : IBatchedLogEventSink, IDisposable
{
    readonly DatabaseLocation _location;
    readonly TableSchema _logs;
    readonly TableSchema _metrics;
    readonly string _synchronousPragma;
    readonly int _busyTimeoutMilliseconds;
    readonly IFormatProvider? _formatProvider;
    readonly Action<SqliteWorkerBatchWritten>? _onBatchWritten;
    readonly SinkCounters _counters;
    readonly QueueFullReporter _queueFullReporter;
    readonly PropertiesJson _json = new();

    SQLiteConnection? _connection;
    LogRowWriter? _logWriter;
    MetricRowWriter? _metricWriter;

    public SqliteWorkerSink(SqliteWorkerSinkOptions options, DatabaseLocation location, SinkCounters counters,
        QueueFullReporter queueFullReporter)
    {
        _queueFullReporter = queueFullReporter;
        _location = location;
        _logs = SinkSchema.Logs(options.LogsTableName);
        _metrics = SinkSchema.Metrics(options.MetricsTableName);
        _synchronousPragma = options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
        _busyTimeoutMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;
        _formatProvider = options.FormatProvider;
        _onBatchWritten = options.OnBatchWritten;
        _counters = counters;
    }

    /// <summary>The open connection, if any; for tests that check per-connection settings.</summary>
    internal SQLiteConnection? Connection => _connection;

    public Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var (logs, metrics) = WriteInOneTransaction(batch);
        _counters.Written(logs, metrics);

        if (_onBatchWritten != null)
            Notify(new SqliteWorkerBatchWritten(logs, metrics, Stopwatch.GetElapsedTime(started),
                _counters.LogsWritten, _counters.MetricsWritten, _counters.Dropped, _counters.Queued));

        _queueFullReporter.ReportIfDue();
        return Task.CompletedTask;
    }

    public Task OnEmptyBatchAsync()
    {
        _queueFullReporter.ReportIfDue();
        return Task.CompletedTask;
    }

    (int Logs, int Metrics) WriteInOneTransaction(IReadOnlyCollection<LogEvent> batch)
    {
        try
        {
            var connection = _connection ?? Open();
            int logs = 0, metrics = 0;
            using var transaction = connection.BeginTransaction();
            foreach (var logEvent in batch)
            {
                if (MetricEvent.IsMetric(logEvent) && _metricWriter!.TryWrite(logEvent))
                {
                    metrics++;
                }
                else
                {
                    _logWriter!.Write(logEvent);
                    logs++;
                }
            }

            transaction.Commit();
            return (logs, metrics);
        }
        catch (Exception ex)
        {
            // The transaction has rolled back. Start from a fresh connection next time, in case this one is what broke.
            Close();
            throw new IOException(
                $"Writing a batch of {batch.Count} events to {_location.Description} failed, and nothing of it was " +
                $"written: {ex.Message}", ex);
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
            using (var command = connection.CreateCommand())
            {
                // The busy timeout comes first: switching to WAL takes a lock that another writer may hold.
                command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}");
                command.ExecuteNonQuery();
                command.CommandText = "PRAGMA journal_mode = WAL";
                var journalMode = Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
                if (journalMode is not ("wal" or "memory"))
                    SelfLog.WriteLine("SqliteWorker: {0} could not switch to WAL and uses journal mode {1}; readers may block the writer",
                        _location.Description, journalMode);
                command.CommandText = _synchronousPragma;
                command.ExecuteNonQuery();
            }

            SchemaMigrator.Apply(connection, _location.Description, _logs, _metrics);
            _logWriter = new LogRowWriter(connection, _logs, _json, _formatProvider);
            _metricWriter = new MetricRowWriter(connection, _metrics, _json);
            _connection = connection;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
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
        _logWriter?.Dispose();
        _metricWriter?.Dispose();
        _connection?.Dispose();
        _logWriter = null;
        _metricWriter = null;
        _connection = null;
    }

    public void Dispose() => Close();

    public override string ToString() => $"SqliteWorker({_location.Description})";
}
