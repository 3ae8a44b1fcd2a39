namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Options for the SQLite sink, for configuration from code. Everything here except
/// <see cref="OnBatchWritten"/> can also be set through the flat <c>WriteTo.SqliteWorker(...)</c> overload, and so from
/// <c>appsettings.json</c>.
/// </summary>
public sealed class SqliteWorkerSinkOptions
{
    /// <summary>The default name of the table that receives ordinary log events.</summary>
    public const string DefaultLogsTableName = "logs";

    /// <summary>The default name of the table that receives metric events.</summary>
    public const string DefaultMetricsTableName = "metrics";

    /// <summary>The default time a write waits for another connection's lock before the batch fails and is retried.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The database file. A relative path is resolved against the current directory when the sink is configured, and
    /// a missing directory is created. <c>:memory:</c> gives a private in-memory database that disappears with the
    /// sink; a SQLite URI such as <c>file:tests?mode=memory&amp;cache=shared</c> gives an in-memory database that other
    /// connections in the same process can read.
    /// </summary>
    public string DatabasePath { get; set; } = "";

    /// <summary>The table that receives ordinary log events. The default is <c>logs</c>.</summary>
    public string LogsTableName { get; set; } = DefaultLogsTableName;

    /// <summary>The table that receives metric events. The default is <c>metrics</c>.</summary>
    public string MetricsTableName { get; set; } = DefaultMetricsTableName;

    /// <summary>How durable a committed batch is. The default is <see cref="SqliteSynchronousMode.Normal"/>.</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Normal;

    /// <summary>
    /// How long a write waits for another connection's lock before the batch fails and is retried later. The default is
    /// <see cref="DefaultBusyTimeout"/>.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = DefaultBusyTimeout;

    /// <summary>
    /// When the queue is full, block the logging thread until there is room, instead of dropping the event. Nothing is
    /// lost and memory stays bounded, but a slow or failing disk then slows the application down. The default is
    /// <c>false</c>: events are dropped, counted and reported through <c>SelfLog</c> and failure listeners.
    /// </summary>
    public bool BlockWhenFull { get; set; }

    /// <summary>
    /// Properties promoted to typed, optionally indexed columns of the logs table, after its own columns. A column
    /// missing from an existing table is added to it. The property also stays in the <c>properties</c> JSON, so tools
    /// that read the JSON see every property, and a value that does not convert to the column's type (stored as NULL,
    /// with a <c>SelfLog</c> note) is not lost.
    /// </summary>
    public IList<SqliteWorkerColumn> CustomColumns { get; set; } = [];

    /// <summary>
    /// Rows older than this, by their <c>timestamp</c>, are deleted from the logs and metrics tables, a few thousand
    /// at a time between batches. Null, the default, keeps every row.
    /// </summary>
    public TimeSpan? RetentionPeriod { get; set; }

    /// <summary>
    /// The most bytes of the database file that rows may use. Beyond it the oldest rows of the logs and metrics
    /// tables are deleted, a few thousand at a time between batches, until the used size is back under 90% of it; the
    /// pages they free are reused by later rows. A new file is made with incremental auto-vacuum when this is set, and
    /// then gives the free pages beyond the limit back to the disk, so the file itself stays at about this size; a file
    /// made without it keeps the size it has reached. At least 1 MB (1048576). Null, the default, sets no limit.
    /// </summary>
    public long? MaxDatabaseSize { get; set; }

    /// <summary>Supplies culture-specific formatting information for rendered messages, or null.</summary>
    public IFormatProvider? FormatProvider { get; set; }

    /// <summary>
    /// Called on the sink's writer after each committed batch. It should return quickly; an exception it throws is
    /// reported through <c>SelfLog</c> and does not affect the batch, which is already written.
    /// </summary>
    public Action<SqliteWorkerBatchWritten>? OnBatchWritten { get; set; }
}
