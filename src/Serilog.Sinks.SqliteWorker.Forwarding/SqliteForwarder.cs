using System.Data.SQLite;
using Google.Protobuf;
using Serilog.Debugging;

namespace Serilog.Sinks.SqliteWorker.Forwarding;

/// <summary>
/// Sends the rows of a database written by Serilog.Sinks.SqliteWorker to an OTLP endpoint, in id order, one batch at a
/// time. Each destination's place is a cursor kept in the database itself, which moves only after the endpoint has
/// accepted a batch: after a crash at most that one batch is sent again, and after a stop nothing is. While the
/// endpoint cannot be reached, or asks for time (429, 503 with <c>Retry-After</c>), the same batch is retried with a
/// growing wait, and nothing is lost while the rows remain in the file.
/// </summary>
/// <remarks>
/// Run one forwarder per destination and file. Failures are reported through <see cref="SelfLog"/>, and counted in
/// <see cref="Retries"/>, <see cref="Rejected"/> and <see cref="NeverForwarded"/>; only a refusal of the forwarder
/// itself (a wrong API key, say) ends <see cref="SendPendingAsync"/>, as an <see cref="OtlpRefusedException"/>.
/// </remarks>
public sealed class SqliteForwarder : IDisposable
{
    static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    // A database the sink writes is busy for as long as one batch takes; a cursor update waits for its turn.
    const int BusyTimeoutMilliseconds = 10_000;

    readonly SqliteForwarderOptions _options;
    readonly string _databasePath;
    readonly PendingRowReader _reader;
    readonly OtlpExporter _exporter;
    readonly string _connectionString;
    readonly string _serviceName;
    SQLiteConnection? _connection;
    OtlpMapping? _mapping;
    CursorPosition? _logsCursor;
    CursorPosition? _metricsCursor;
    long _forwarded;
    long _rejected;
    long _neverForwarded;
    long _retries;

    /// <summary>Creates a forwarder; nothing is opened or sent until it is run.</summary>
    /// <exception cref="ArgumentException">An option is missing or not valid; the message says which and how to fix it.</exception>
    public SqliteForwarder(SqliteForwarderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.DatabasePath))
            throw new ArgumentException("DatabasePath is empty. Give the file WriteTo.SqliteWorker() writes, such as \"logs.db\".", nameof(options));
        if (string.IsNullOrWhiteSpace(options.Endpoint))
            throw new ArgumentException(
                "Endpoint is empty. Give the OTLP endpoint's base URL, such as \"http://collector:4318\" for http/protobuf " +
                "or \"http://collector:4317\" for grpc, or set OTEL_EXPORTER_OTLP_ENDPOINT.", nameof(options));
        if (!Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
            throw new ArgumentException($"Endpoint '{options.Endpoint}' is not an http:// or https:// URL, such as \"http://collector:4318\".", nameof(options));
        if (!Enum.IsDefined(options.Protocol))
            throw new ArgumentException($"Protocol {(int)options.Protocol} is not an OtlpProtocol; use HttpProtobuf or Grpc.", nameof(options));
        if (options.BatchSize < 1)
            throw new ArgumentException($"BatchSize is {options.BatchSize}; it must be at least 1.", nameof(options));
        if (options.PollInterval <= TimeSpan.Zero || options.MaximumRetryDelay <= TimeSpan.Zero || options.Timeout <= TimeSpan.Zero)
            throw new ArgumentException("PollInterval, MaximumRetryDelay and Timeout must be positive.", nameof(options));
        var logsTable = SqlIdentifier.Validate(options.LogsTableName, nameof(options.LogsTableName));
        var metricsTable = SqlIdentifier.Validate(options.MetricsTableName, nameof(options.MetricsTableName));

        _options = options;
        _databasePath = UserPath.ToFull(options.DatabasePath, "database path", nameof(options));
        _reader = new PendingRowReader(logsTable, metricsTable);
        _serviceName = string.IsNullOrWhiteSpace(options.ServiceName) ? "unknown_service" : options.ServiceName;
        Destination = string.IsNullOrWhiteSpace(options.Destination)
            ? $"{(options.Protocol == OtlpProtocol.Grpc ? "grpc" : "http/protobuf")} {endpoint.AbsoluteUri}"
            : options.Destination;
        _connectionString = ConnectionString(_databasePath);
        _exporter = OtlpExporter.Create(options, endpoint);
    }

    /// <summary>The name of this destination's cursor in the database.</summary>
    public string Destination { get; }

    /// <summary>Rows the endpoint accepted since this forwarder started.</summary>
    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Rows the endpoint rejected since this forwarder started (partial success, or a request it could not read).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Rows found deleted from the file before they could be sent, since this forwarder started.</summary>
    public long NeverForwarded => Interlocked.Read(ref _neverForwarded);

    /// <summary>Attempts that failed and were retried, since this forwarder started.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Raised after each batch the endpoint accepted, on the forwarder's thread.</summary>
    public event Action<ForwardedBatch>? BatchForwarded;

    /// <summary>Raised when an attempt failed and will be retried: what happened, and how long until the next attempt.</summary>
    public event Action<string, TimeSpan>? Retrying;

    /// <summary>
    /// Sends every row the file holds after this destination's cursor, and returns once none is left: the number sent.
    /// While the endpoint cannot be reached it keeps retrying, until <paramref name="cancellationToken"/> is cancelled.
    /// A request in flight when it is cancelled is finished (within <see cref="SqliteForwarderOptions.Timeout"/>) and
    /// its cursor stored, so that nothing is sent twice after a stop.
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no database at the path given.</exception>
    /// <exception cref="OtlpRefusedException">The endpoint refused the forwarder; the cursor has not moved.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before everything was sent.</exception>
    public async Task<long> SendPendingAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(_databasePath))
            throw new FileNotFoundException($"There is no database file at '{_databasePath}'.", _databasePath);
        var before = Forwarded + Rejected;
        while (await SendBatchAsync(cancellationToken).ConfigureAwait(false))
        {
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Forwarded + Rejected - before;
    }

    /// <summary>
    /// Sends rows as they are written until <paramref name="cancellationToken"/> is cancelled, which ends it quietly. A
    /// missing file is waited for (the sink creates it with its first batch); a refusal is reported through
    /// <see cref="SelfLog"/> and tried again after <see cref="SqliteForwarderOptions.MaximumRetryDelay"/>.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            bool sent;
            try
            {
                sent = File.Exists(_databasePath) && await SendBatchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OtlpRefusedException ex)
            {
                SelfLog.WriteLine("{0}", $"Forwarding {_databasePath} to {Destination} was refused, so nothing was sent and the rows stay pending: {ex.Message}");
                if (!await WaitAsync(_options.MaximumRetryDelay, cancellationToken).ConfigureAwait(false))
                    return;
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A follower must not die quietly beside the application: whatever failed is reported and tried again.
                SelfLog.WriteLine("{0}", $"Forwarding {_databasePath} to {Destination} failed, and tries again: {ex}");
                CloseConnection();
                sent = false;
            }

            if (!sent && !await WaitAsync(_options.PollInterval, cancellationToken).ConfigureAwait(false))
                return;
        }
    }

    /// <summary>Where this destination stands in the logs and metrics tables: forwarded, pending and lag.</summary>
    /// <returns>One status for each table; empty while the database file does not exist yet.</returns>
    public IReadOnlyList<ForwardingStatus> GetStatus() =>
        File.Exists(_databasePath) ? ReadStatus(_databasePath, _reader, Destination) : [];

    /// <summary>
    /// Where every destination that has forwarded from the database stands: forwarded, pending and lag for each table.
    /// Reads only; an empty list when nothing was ever forwarded from the file.
    /// </summary>
    /// <param name="databasePath">The database file.</param>
    /// <param name="logsTableName">The logs table, as configured on the sink.</param>
    /// <param name="metricsTableName">The metrics table, as configured on the sink.</param>
    public static IReadOnlyList<ForwardingStatus> ReadStatus(string databasePath, string logsTableName = "logs", string metricsTableName = "metrics") =>
        ReadStatus(UserPath.ToFull(databasePath, "database path", nameof(databasePath)),
            new PendingRowReader(SqlIdentifier.Validate(logsTableName, nameof(logsTableName)), SqlIdentifier.Validate(metricsTableName, nameof(metricsTableName))),
            onlyDestination: null);

    static List<ForwardingStatus> ReadStatus(string path, PendingRowReader reader, string? onlyDestination)
    {
        var builder = new SQLiteConnectionStringBuilder { DataSource = path, ReadOnly = true, FailIfMissing = true, BusyTimeout = BusyTimeoutMilliseconds, Pooling = false };
        using var connection = new SQLiteConnection(builder.ConnectionString);
        connection.Open();
        var now = DateTimeOffset.UtcNow;
        var cursors = CursorTable.ReadAll(connection);
        // Both tables for every destination, so that a table it has not sent from yet shows as pending too.
        var destinations = onlyDestination != null ? [onlyDestination] : cursors.Select(c => c.Destination).Distinct(StringComparer.Ordinal).ToList();
        var statuses = new List<ForwardingStatus>();
        foreach (var destination in destinations)
        {
            foreach (var table in new[] { reader.LogsTable, reader.MetricsTable })
            {
                var position = cursors.FirstOrDefault(c => c.Destination == destination && c.Table == table).Position ?? CursorPosition.Start;
                var (pending, first) = reader.Pending(connection, table, position.LastId);
                statuses.Add(new ForwardingStatus
                {
                    Destination = destination,
                    Table = table,
                    LastForwardedId = position.LastId,
                    Forwarded = position.Forwarded,
                    Rejected = position.Rejected,
                    NeverForwarded = position.NeverForwarded,
                    Pending = pending,
                    Lag = first == null || OtlpMapping.UnixNanoseconds(first) is not (> 0 and var nanoseconds)
                        ? null
                        : Max(now - DateTimeOffset.UnixEpoch.AddTicks((long)(nanoseconds / 100)), TimeSpan.Zero),
                    LastForwardedAt = position.Updated == null ? null : TimestampText.Parse(position.Updated),
                });
            }
        }

        return statuses;
    }

    /// <summary>Sends one batch from each table that has rows pending; false when neither had any.</summary>
    async Task<bool> SendBatchAsync(CancellationToken cancellationToken)
    {
        if (Connection() is not { } connection)
            return false;
        var mapping = _mapping!;
        var sentLogs = false;
        var sentMetrics = false;

        if (!cancellationToken.IsCancellationRequested)
        {
            _logsCursor ??= CursorTable.Read(connection, Destination, _reader.LogsTable);
            var logs = _reader.ReadLogs(connection, _logsCursor.LastId, _options.BatchSize);
            if (logs.Rows.Count > 0)
                sentLogs = await SendAsync(_reader.LogsTable, _logsCursor, logs.Rows.Count, logs.LastId, logs.Missing,
                    () => mapping.Logs(logs.Rows), (request, token) => _exporter.ExportAsync((Otlp.ExportLogsServiceRequest)request, token),
                    c => _logsCursor = c, cancellationToken).ConfigureAwait(false);
            else
                _logsCursor = RewindPastEnd(connection, _reader.LogsTable, _logsCursor);
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            _metricsCursor ??= CursorTable.Read(connection, Destination, _reader.MetricsTable);
            var metrics = _reader.ReadMetrics(connection, _metricsCursor.LastId, _options.BatchSize);
            if (metrics.Rows.Count > 0)
                sentMetrics = await SendAsync(_reader.MetricsTable, _metricsCursor, metrics.Rows.Count, metrics.LastId, metrics.Missing,
                    () => mapping.Metrics(metrics.Rows), (request, token) => _exporter.ExportAsync((Otlp.ExportMetricsServiceRequest)request, token),
                    c => _metricsCursor = c, cancellationToken).ConfigureAwait(false);
            else
                _metricsCursor = RewindPastEnd(connection, _reader.MetricsTable, _metricsCursor);
        }

        return sentLogs || sentMetrics;
    }

    /// <summary>Sends one batch until the endpoint answers for it, and moves the cursor; false if stopped while waiting to retry.</summary>
    async Task<bool> SendAsync(string table, CursorPosition cursor, int rows, long lastId, long missing, Func<IMessage> build,
        Func<IMessage, CancellationToken, Task<ExportOutcome>> export, Action<CursorPosition> moved, CancellationToken cancellationToken)
    {
        var request = build();
        var delay = FirstRetryDelay;
        while (true)
        {
            // Not cancelled by a stop: a request in flight is finished (its own timeout bounds it) and its cursor stored,
            // so that a graceful stop never leaves a batch the endpoint has but the cursor does not.
            var outcome = await export(request, CancellationToken.None).ConfigureAwait(false);
            switch (outcome.Status)
            {
                case ExportStatus.Accepted:
                case ExportStatus.Unreadable:
                    var rejected = outcome.Status == ExportStatus.Unreadable ? rows : Math.Min(outcome.Rejected, rows);
                    var next = new CursorPosition(lastId, cursor.Forwarded + rows - rejected, cursor.Rejected + rejected,
                        cursor.NeverForwarded + missing, null);
                    CursorTable.Write(_connection!, Destination, table, next);
                    moved(next);
                    Interlocked.Add(ref _forwarded, rows - rejected);
                    Interlocked.Add(ref _rejected, rejected);
                    Interlocked.Add(ref _neverForwarded, missing);
                    if (rejected > 0)
                        SelfLog.WriteLine("{0}", $"{Destination} rejected {rejected} of {rows} rows from {table} (ids up to {lastId}), which are counted as rejected and not sent again: {outcome.Message ?? "no reason given"}");
                    if (missing > 0)
                        SelfLog.WriteLine("{0}", $"{missing} rows of {table} were deleted from {_databasePath} (by retention or the size limit) before they could be forwarded to {Destination}");
                    BatchForwarded?.Invoke(new ForwardedBatch(table, rows, rejected, missing, lastId));
                    return true;
                case ExportStatus.Refused:
                    throw new OtlpRefusedException(outcome.Message ?? $"{Destination} refused the request.");
                default:
                    Interlocked.Increment(ref _retries);
                    var wait = outcome.RetryAfter ?? delay;
                    delay = Min(delay * 2, _options.MaximumRetryDelay);
                    SelfLog.WriteLine("{0}", $"Forwarding {rows} rows of {table} to {Destination} failed and is retried in {wait.TotalSeconds:0.#} s: {outcome.Message}");
                    Retrying?.Invoke(outcome.Message ?? "", wait);
                    if (!await WaitAsync(wait, cancellationToken).ConfigureAwait(false))
                        return false;
                    break;
            }
        }
    }

    /// <summary>
    /// A cursor past the table's last row means the rows at its end were deleted, and SQLite gives the next row the id
    /// after the largest one left, which the cursor has passed: the cursor steps back to that id, so that the new rows
    /// are not skipped.
    /// </summary>
    CursorPosition RewindPastEnd(SQLiteConnection connection, string table, CursorPosition cursor)
    {
        var last = PendingRowReader.LastId(connection, table);
        if (last >= cursor.LastId)
            return cursor;
        SelfLog.WriteLine("{0}", $"The last rows of {table} in {_databasePath} were deleted after being forwarded to {Destination}; its cursor steps back from id {cursor.LastId} to {last}, where new rows follow");
        var rewound = cursor with { LastId = last, Updated = null };
        CursorTable.Write(connection, Destination, table, rewound);
        return rewound;
    }

    /// <summary>
    /// The forwarder's connection, its own tables made; null while the sink has not made its tables yet, since a file
    /// without pages must be left to the sink, which chooses settings (auto-vacuum) that only a new file can take.
    /// </summary>
    SQLiteConnection? Connection()
    {
        if (_connection != null)
            return _connection;
        var connection = new SQLiteConnection(_connectionString);
        try
        {
            connection.Open();
            if (!PendingRowReader.TableExists(connection, _reader.LogsTable) && !PendingRowReader.TableExists(connection, _reader.MetricsTable))
            {
                connection.Dispose();
                return null;
            }

            var sourceId = CursorTable.Prepare(connection);
            _mapping = new OtlpMapping(_serviceName, _options.ResourceAttributes, sourceId, _reader.LogsTable);
            _connection = connection;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    void CloseConnection()
    {
        _connection?.Dispose();
        _connection = null;
        _logsCursor = null;
        _metricsCursor = null;
    }

    static string ConnectionString(string path) => new SQLiteConnectionStringBuilder
    {
        DataSource = path,
        FailIfMissing = true,
        BusyTimeout = BusyTimeoutMilliseconds,
        Pooling = false,
    }.ConnectionString;

    static async Task<bool> WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Closes the database connection and the endpoint's connections.</summary>
    public void Dispose()
    {
        CloseConnection();
        _exporter.Dispose();
    }
}
