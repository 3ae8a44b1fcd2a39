using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SqliteWorker;

namespace Serilog;

/// <summary>
/// Adds <c>WriteTo.SqliteWorker()</c> to the logger configuration: structured events and metrics, written in batches
/// to a local SQLite database.
/// </summary>
public static class SqliteWorkerLoggerConfigurationExtensions
{
    /// <summary>The default maximum number of events written in one transaction.</summary>
    public const int DefaultBatchSizeLimit = 1000;

    /// <summary>The default maximum number of events waiting to be written; beyond it events are dropped or the caller waits.</summary>
    /// <remarks>
    /// Events wait as rendered rows, their text in reused arrays, so the limit is what bounds the sink's memory
    /// (docs/performance.md gives the peak working set measured with a full queue).
    /// </remarks>
    public const int DefaultQueueLimit = 50_000;

    /// <summary>The default longest time an event waits before its batch is written.</summary>
    public static readonly TimeSpan DefaultBufferingTimeLimit = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Write log events and metrics to a SQLite database. Ordinary events go to the logs table, events recorded with
    /// <see cref="SqliteWorkerMetricExtensions.Metric"/> to the metrics table.
    /// </summary>
    /// <param name="loggerSinkConfiguration">Logger sink configuration.</param>
    /// <param name="databasePath">The database file. A relative path is resolved against the current directory, and a
    /// missing directory is created. <c>:memory:</c> gives a private in-memory database; a SQLite URI such as
    /// <c>file:tests?mode=memory&amp;cache=shared</c> gives one that other connections in the process can read.</param>
    /// <param name="restrictedToMinimumLevel">The minimum level for events passed through the sink. Ignored when
    /// <paramref name="levelSwitch"/> is specified.</param>
    /// <param name="batchSizeLimit">The maximum number of events written in one transaction. The default is
    /// <see cref="DefaultBatchSizeLimit"/>.</param>
    /// <param name="bufferingTimeLimit">The longest time an event waits before its batch is written. The default is
    /// <see cref="DefaultBufferingTimeLimit"/>.</param>
    /// <param name="queueLimit">The maximum number of events waiting to be written. The default is
    /// <see cref="DefaultQueueLimit"/>.</param>
    /// <param name="blockWhenFull">When the queue is full, make the logging thread wait for room instead of dropping the
    /// event. The default is <c>false</c>: dropped events are counted and reported through <c>SelfLog</c>.</param>
    /// <param name="logsTableName">The table for ordinary events. The default is <c>logs</c>.</param>
    /// <param name="metricsTableName">The table for metric events. The default is <c>metrics</c>.</param>
    /// <param name="synchronous">How durable each committed batch is. The default is
    /// <see cref="SqliteSynchronousMode.Normal"/>.</param>
    /// <param name="busyTimeout">How long a write waits for another connection's lock before the batch is retried later.
    /// The default is <see cref="SqliteWorkerSinkOptions.DefaultBusyTimeout"/>.</param>
    /// <param name="retentionPeriod">Delete rows older than this from the logs and metrics tables, a few thousand at a
    /// time between batches. The default, null, keeps every row.</param>
    /// <param name="maxDatabaseSize">The most bytes of the database file that rows may use, at least 1048576 (1 MB);
    /// beyond it the oldest rows are deleted, and a file the sink made with this set gives the free pages beyond it back
    /// to the disk. The default, null, sets no limit.</param>
    /// <param name="customColumns">Properties promoted to typed, optionally indexed columns of the logs table; see
    /// <see cref="SqliteWorkerSinkOptions.CustomColumns"/>. The default, null, adds none.</param>
    /// <param name="formatProvider">Supplies culture-specific formatting information for rendered messages, or null.</param>
    /// <param name="levelSwitch">A switch allowing the pass-through minimum level to be changed at runtime.</param>
    /// <param name="retryTimeLimit">How long a batch that cannot be written is tried again before it is dropped and
    /// reported; zero gives it up at its first failure. The default, null, is that of
    /// <see cref="BatchingOptions.RetryTimeLimit"/>: 10 minutes.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    /// <exception cref="ArgumentException">An argument is out of range or not a valid name; the message says which.</exception>
    public static LoggerConfiguration SqliteWorker(
        this LoggerSinkConfiguration loggerSinkConfiguration,
        string databasePath,
        LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum,
        int batchSizeLimit = DefaultBatchSizeLimit,
        TimeSpan? bufferingTimeLimit = null,
        int queueLimit = DefaultQueueLimit,
        bool blockWhenFull = false,
        string logsTableName = SqliteWorkerSinkOptions.DefaultLogsTableName,
        string metricsTableName = SqliteWorkerSinkOptions.DefaultMetricsTableName,
        SqliteSynchronousMode synchronous = SqliteSynchronousMode.Normal,
        TimeSpan? busyTimeout = null,
        TimeSpan? retentionPeriod = null,
        long? maxDatabaseSize = null,
        SqliteWorkerColumn[]? customColumns = null,
        IFormatProvider? formatProvider = null,
        LoggingLevelSwitch? levelSwitch = null,
        TimeSpan? retryTimeLimit = null)
    {
        var options = new SqliteWorkerSinkOptions
        {
            DatabasePath = databasePath,
            LogsTableName = logsTableName,
            MetricsTableName = metricsTableName,
            Synchronous = synchronous,
            BusyTimeout = busyTimeout ?? SqliteWorkerSinkOptions.DefaultBusyTimeout,
            BlockWhenFull = blockWhenFull,
            FormatProvider = formatProvider,
            RetentionPeriod = retentionPeriod,
            MaxDatabaseSize = maxDatabaseSize,
            CustomColumns = customColumns ?? [],
        };
        var batchingOptions = new BatchingOptions
        {
            BatchSizeLimit = batchSizeLimit,
            BufferingTimeLimit = bufferingTimeLimit ?? DefaultBufferingTimeLimit,
            QueueLimit = queueLimit,
        };
        if (retryTimeLimit is { } limit)
            batchingOptions.RetryTimeLimit = limit;
        return loggerSinkConfiguration.SqliteWorker(options, batchingOptions, restrictedToMinimumLevel, levelSwitch);
    }

    /// <summary>
    /// Write log events and metrics to a SQLite database, configured from code. Ordinary events go to the logs table,
    /// events recorded with <see cref="SqliteWorkerMetricExtensions.Metric"/> to the metrics table.
    /// </summary>
    /// <param name="loggerSinkConfiguration">Logger sink configuration.</param>
    /// <param name="options">The sink's options; <see cref="SqliteWorkerSinkOptions.DatabasePath"/> is required.</param>
    /// <param name="batchingOptions">Batch size, buffering time, queue limit and retry time, or null for the defaults
    /// (<see cref="DefaultBatchSizeLimit"/>, <see cref="DefaultBufferingTimeLimit"/>, <see cref="DefaultQueueLimit"/>).</param>
    /// <param name="restrictedToMinimumLevel">The minimum level for events passed through the sink. Ignored when
    /// <paramref name="levelSwitch"/> is specified.</param>
    /// <param name="levelSwitch">A switch allowing the pass-through minimum level to be changed at runtime.</param>
    /// <returns>Configuration object allowing method chaining.</returns>
    /// <exception cref="ArgumentException">An option is out of range or not a valid name; the message says which.</exception>
    public static LoggerConfiguration SqliteWorker(
        this LoggerSinkConfiguration loggerSinkConfiguration,
        SqliteWorkerSinkOptions options,
        BatchingOptions? batchingOptions = null,
        LogEventLevel restrictedToMinimumLevel = LevelAlias.Minimum,
        LoggingLevelSwitch? levelSwitch = null)
    {
        ArgumentNullException.ThrowIfNull(loggerSinkConfiguration);
        ArgumentNullException.ThrowIfNull(options);

        batchingOptions ??= new BatchingOptions
        {
            BatchSizeLimit = DefaultBatchSizeLimit,
            BufferingTimeLimit = DefaultBufferingTimeLimit,
            QueueLimit = DefaultQueueLimit,
        };
        var queueLimit = Validate(options, batchingOptions);

        var sink = new SqliteWorkerSink(options, DatabaseLocation.Resolve(options.DatabasePath), batchingOptions, queueLimit, new SinkCounters());
        return loggerSinkConfiguration.Sink(sink, restrictedToMinimumLevel, levelSwitch);
    }

    static int Validate(SqliteWorkerSinkOptions options, BatchingOptions batchingOptions)
    {
        var logs = SqlIdentifier.Validate(options.LogsTableName, "logsTableName");
        var metrics = SqlIdentifier.Validate(options.MetricsTableName, "metricsTableName");
        if (string.Equals(logs, metrics, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(
                $"logsTableName and metricsTableName are both '{logs}'. Logs and metrics need tables of their own; give them different names.",
                "metricsTableName");

        ValidateCustomColumns(options.CustomColumns);

        if (batchingOptions.BatchSizeLimit <= 0)
            throw new ArgumentException(
                $"batchSizeLimit is {batchingOptions.BatchSizeLimit}; it must be at least 1 (the default is {DefaultBatchSizeLimit}).",
                "batchSizeLimit");

        if (batchingOptions.BufferingTimeLimit <= TimeSpan.Zero)
            throw new ArgumentException(
                $"bufferingTimeLimit is {batchingOptions.BufferingTimeLimit}; it must be positive, such as \"00:00:02\" for two seconds.",
                "bufferingTimeLimit");

        if (batchingOptions.RetryTimeLimit < TimeSpan.Zero)
            throw new ArgumentException(
                $"retryTimeLimit is {batchingOptions.RetryTimeLimit}; it must be zero (no retries) or more, such as \"00:10:00\" for ten minutes, the default.",
                "retryTimeLimit");

        if (batchingOptions.QueueLimit is not { } queueLimit)
            throw new ArgumentException(
                "queueLimit is null, which would let memory grow without bound while the disk is slow. Give a limit " +
                $"(the default is {DefaultQueueLimit}); set BlockWhenFull to wait for room rather than drop events.",
                "queueLimit");

        if (queueLimit <= 0)
            throw new ArgumentException(
                $"queueLimit is {queueLimit}; it must be at least 1 (the default is {DefaultQueueLimit}).", "queueLimit");

        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentException(
                $"busyTimeout is {options.BusyTimeout}; it must be between zero and {TimeSpan.FromMilliseconds(int.MaxValue)}.",
                "busyTimeout");

        if (!Enum.IsDefined(options.Synchronous))
            throw new ArgumentException(
                $"synchronous is {options.Synchronous}; use {SqliteSynchronousMode.Normal} or {SqliteSynchronousMode.Full}.",
                "synchronous");

        if (options.RetentionPeriod is { } period && period <= TimeSpan.Zero)
            throw new ArgumentException(
                $"retentionPeriod is {period}; it must be positive, such as \"7.00:00:00\" for seven days, or null to keep every row.",
                "retentionPeriod");

        if (options.MaxDatabaseSize is { } size && size < RetentionPolicy.MinimumDatabaseSize)
            throw new ArgumentException(
                $"maxDatabaseSize is {size} bytes; it must be at least {RetentionPolicy.MinimumDatabaseSize} (1 MB), such as " +
                "104857600 for 100 MB, or null for no limit.",
                "maxDatabaseSize");

        return queueLimit;
    }

    static void ValidateCustomColumns(IList<SqliteWorkerColumn>? columns)
    {
        const string parameterName = "customColumns";
        if (columns == null)
            throw new ArgumentException("customColumns is null; leave it empty for no custom columns.", parameterName);

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in columns)
        {
            if (column == null)
                throw new ArgumentException("customColumns holds a null entry; remove it.", parameterName);
            if (string.IsNullOrWhiteSpace(column.PropertyPath))
                throw new ArgumentException(
                    $"The custom column '{column.ColumnName}' has no PropertyPath. Name the property that fills it, such as " +
                    "\"Hostname\" or \"Order.Customer.Id\".", parameterName);
            var name = SqlIdentifier.Validate(column.ColumnName, parameterName, "column name", "hostname");
            if (SinkSchema.LogColumnNames.Contains(name))
                throw new ArgumentException(
                    $"The custom column '{name}' has the name of one of the logs table's own columns; choose another, such as \"{name}_value\".",
                    parameterName);
            if (!names.Add(name))
                throw new ArgumentException($"Two custom columns are named '{name}'; each needs a name of its own.", parameterName);
            if (!Enum.IsDefined(column.Type))
                throw new ArgumentException(
                    $"The custom column '{name}' has Type {column.Type}; use Text, Integer or Real.", parameterName);
        }
    }
}
