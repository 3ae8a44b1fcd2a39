using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// Typed reports over a database written by Serilog.Sinks.SqliteWorker, read on a read-only connection of its own.
/// Under the sink's WAL journal, reading never blocks the sink's writer, so a running application's file can be read
/// at any time. Only <see cref="DeleteOlderThan"/> writes, on a connection of its own.
/// </summary>
/// <remarks>
/// <para>The report methods are synchronous, because SQLite answers in-process and its ADO.NET provider has no
/// asynchronous I/O to offer; their <see cref="CancellationToken"/> interrupts the running statement. The live tail
/// and the exports, which wait or write to a stream, are asynchronous.</para>
/// <para>An instance may be shared by threads: its report calls run one at a time on its connection. The tail,
/// the exports and the backup each use a connection of their own, so they do not hold up the reports.</para>
/// </remarks>
/// <example><code>
/// using var db = SqliteWorkerDatabase.Open("logs.db");
/// foreach (var error in db.GetLogs(new LogFilter { MinimumLevel = LogEventLevel.Error, Within = TimeSpan.FromHours(1) }))
///     Console.WriteLine($"{error.Timestamp:u} [{error.Level}] {error.Message}");
/// </code></example>
public sealed partial class SqliteWorkerDatabase : IDisposable
{
    /// <summary>The number of rows a query returns when no limit is given.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The number of groups a top-N report returns when no number is given.</summary>
    public const int DefaultTop = 10;

    /// <summary>How often a live tail looks for new rows when no interval is given.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    readonly DatabaseFile _file;
    readonly LogSql _logs;
    readonly MetricSql _metrics;
    readonly SQLiteConnection _connection;
    readonly Lock _gate = new();
    bool _disposed;

    SqliteWorkerDatabase(DatabaseFile file, LogSql logs, MetricSql metrics, SQLiteConnection connection)
    {
        _file = file;
        _logs = logs;
        _metrics = metrics;
        _connection = connection;
    }

    /// <summary>The full path of the database file, or the URI of a shared in-memory database as it was given.</summary>
    public string DatabasePath => _file.FilePath ?? _file.MemoryUri!;

    /// <summary>
    /// Opens a database written by the sink, read-only. Nothing is created: a missing file is an error.
    /// </summary>
    /// <param name="databasePath">The database, as given to <c>WriteTo.SqliteWorker()</c>: a file path (a relative one
    /// is resolved against the current directory), a <c>file:</c> URI, or the URI of a shared in-memory database such as
    /// <c>file:order-tests?mode=memory&amp;cache=shared</c>, which a connection in this process must keep open.</param>
    /// <param name="logsTableName">The logs table, as configured on the sink. The default is <c>logs</c>.</param>
    /// <param name="metricsTableName">The metrics table, as configured on the sink. The default is <c>metrics</c>.</param>
    /// <returns>The open database; dispose it to close its connection.</returns>
    /// <exception cref="ArgumentException">The path or a table name is not valid; the message says which.</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="databasePath"/>, or no connection in
    /// this process holds the shared in-memory database it names.</exception>
    /// <exception cref="InvalidDataException">The file is not a SQLite database, or does not hold the sink's tables.</exception>
    public static SqliteWorkerDatabase Open(string databasePath, string logsTableName = "logs", string metricsTableName = "metrics")
    {
        var logsTable = SqlIdentifier.Validate(logsTableName, nameof(logsTableName));
        var metricsTable = SqlIdentifier.Validate(metricsTableName, nameof(metricsTableName));
        if (string.Equals(logsTable, metricsTable, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"logsTableName and metricsTableName are both '{logsTable}'; the sink keeps logs and metrics in different tables.",
                nameof(metricsTableName));

        var file = DatabaseFile.Resolve(databasePath);
        var connection = file.Open();
        try
        {
            file.CheckSchema(connection, logsTable, metricsTable);
            return new SqliteWorkerDatabase(file, new LogSql(logsTable), new MetricSql(metricsTable), connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Closes the connection. Tails and exports that are running keep their own connections until they end.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _connection.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"SqliteWorkerDatabase('{DatabasePath}')";

    static long ReadLastId(SQLiteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    static List<T> ReadList<T>(SQLiteConnection connection, string sql, SqlWhere where, Func<SQLiteDataReader, T> read)
    {
        using var command = Command(connection, sql, where);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
            rows.Add(read(reader));
        return rows;
    }

    internal static SQLiteCommand Command(SQLiteConnection connection, string sql, SqlWhere where)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        where.BindTo(command);
        return command;
    }

    /// <summary>Runs one report on the shared connection, one caller at a time, turning an interrupt into cancellation.</summary>
    T Run<T>(CancellationToken cancellationToken, Func<SQLiteConnection, T> query)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var interrupt = QueryInterruption.Interrupts(_connection, cancellationToken);
            try
            {
                return query(_connection);
            }
            catch (SQLiteException ex) when (QueryInterruption.WasInterrupted(ex, cancellationToken))
            {
                throw new OperationCanceledException("The query was cancelled.", ex, cancellationToken);
            }
            catch (SQLiteException ex) when (ex.ResultCode == SQLiteErrorCode.Error && ex.Message.Contains("bad JSON path", StringComparison.Ordinal))
            {
                // SQLite checks a JSON path only when it runs it, and a property path is the only one a caller gives.
                throw new ArgumentException(
                    $"PropertyPath is not a JSON path SQLite accepts ({ex.Message}). Write it as $.Name or $.Outer.Inner.", "filter", ex);
            }
        }
    }

    static int BucketLength(MetricBucketSize bucketSize) => bucketSize switch
    {
        MetricBucketSize.Minute => TimestampText.MinutePrefixLength,
        MetricBucketSize.Hour => TimestampText.HourPrefixLength,
        _ => throw new ArgumentException($"bucketSize {(int)bucketSize} is not a MetricBucketSize; use Minute or Hour.", nameof(bucketSize)),
    };

    static void CheckPositive(int value, string parameterName)
    {
        if (value < 1)
            throw new ArgumentException($"{parameterName} is {value}; it must be at least 1.", parameterName);
    }

    static void CheckOrder(ResultOrder order)
    {
        if (!Enum.IsDefined(order))
            throw new ArgumentException($"order {(int)order} is not a ResultOrder; use NewestFirst or OldestFirst.", nameof(order));
    }

    static TimeSpan CheckPollInterval(TimeSpan? pollInterval)
    {
        var interval = pollInterval ?? DefaultPollInterval;
        if (interval <= TimeSpan.Zero || interval.TotalMilliseconds > int.MaxValue)
            throw new ArgumentException(
                $"pollInterval is {interval}; it must be positive, such as TimeSpan.FromSeconds(1), and under 24 days.",
                nameof(pollInterval));
        return interval;
    }
}
