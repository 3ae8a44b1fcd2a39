using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker.Query;

/// <summary>
/// A database file opened read-only, on connections of this assembly's own: never the sink's, and never one that could
/// create or change the file.
/// </summary>
sealed class DatabaseFile
{
    // A reader waits this long for the rare locks that WAL readers meet (recovery after a crash, a checkpoint that resets the log).
    const int BusyTimeoutMilliseconds = 5000;

    // A pruner waits as long as the sink does by default, since they take turns at the one write lock.
    const int WriterBusyTimeoutMilliseconds = 10_000;

    static readonly string[] RequiredLogColumns =
        ["timestamp", "level", "source_context", "message", "message_template", "exception", "thread_id", "trace_id", "span_id", "properties"];

    static readonly string[] RequiredMetricColumns = ["timestamp", "metric_name", "value", "unit", "properties"];

    readonly string _connectionString;
    readonly string _writerConnectionString;

    DatabaseFile(string fullPath)
    {
        FullPath = fullPath;
        _connectionString = new SQLiteConnectionStringBuilder
        {
            DataSource = fullPath,
            ReadOnly = true,
            FailIfMissing = true,
            BusyTimeout = BusyTimeoutMilliseconds,
            Pooling = false,
        }.ConnectionString;
        _writerConnectionString = new SQLiteConnectionStringBuilder
        {
            DataSource = fullPath,
            FailIfMissing = true,
            BusyTimeout = WriterBusyTimeoutMilliseconds,
            Pooling = false,
        }.ConnectionString;
    }

    public string FullPath { get; }

    public static DatabaseFile Resolve(string databasePath)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
            throw new ArgumentException("The database path is empty. Give the file the sink writes, such as \"logs.db\".", nameof(databasePath));

        var fullPath = UserPath.ToFull(databasePath, "database path", nameof(databasePath));

        // Checked here as well as by FailIfMissing, whose message does not name the file.
        if (!File.Exists(fullPath))
            throw new FileNotFoundException(
                $"There is no database file at '{fullPath}'. Check the path given to WriteTo.SqliteWorker(); the sink " +
                "creates the file when it writes its first batch.", fullPath);

        return new DatabaseFile(fullPath);
    }

    public SQLiteConnection Open() => Open(_connectionString);

    /// <summary>A connection that may delete rows: only pruning uses it, and it never creates a file.</summary>
    public SQLiteConnection OpenForWriting() => Open(_writerConnectionString);

    SQLiteConnection Open(string connectionString)
    {
        var connection = new SQLiteConnection(connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (SQLiteException ex)
        {
            connection.Dispose();
            throw Describe(ex);
        }
    }

    /// <summary>Checks that the file is a SQLite database holding both of the sink's tables, with every contract column.</summary>
    public void CheckSchema(SQLiteConnection connection, string logsTable, string metricsTable)
    {
        try
        {
            var logs = ReadColumns(connection, logsTable);
            var metrics = ReadColumns(connection, metricsTable);
            if (logs.Count == 0 && metrics.Count == 0)
                throw new InvalidDataException(
                    $"'{FullPath}' is a SQLite database, but has no \"{logsTable}\" or \"{metricsTable}\" table, so it was " +
                    "not written by Serilog.Sinks.SqliteWorker with these table names. If the sink was configured with " +
                    "logsTableName or metricsTableName, pass the same names here.");
            Require(logs, logsTable, RequiredLogColumns);
            Require(metrics, metricsTable, RequiredMetricColumns);
        }
        catch (SQLiteException ex)
        {
            throw Describe(ex);
        }
    }

    void Require(HashSet<string> columns, string table, string[] required)
    {
        if (columns.Count == 0)
            throw new InvalidDataException(
                $"'{FullPath}' has no \"{table}\" table. The sink creates its logs and metrics tables together; check the " +
                "table names given here against those given to the sink.");

        var missing = required.Where(c => !columns.Contains(c)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException(
                $"The table \"{table}\" in '{FullPath}' has no column {string.Join(", ", missing.Select(m => $"\"{m}\""))}, " +
                "so it was not written by Serilog.Sinks.SqliteWorker.");
    }

    static HashSet<string> ReadColumns(SQLiteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info({SqlIdentifier.Quote(table)})";
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            names.Add(reader.GetString(1));
        return names;
    }

    Exception Describe(SQLiteException ex) => ex.ResultCode switch
    {
        SQLiteErrorCode.NotADb => new InvalidDataException(
            $"'{FullPath}' is not a SQLite database (SQLite says: {FirstLine(ex.Message)}). Give the file the sink writes.", ex),
        SQLiteErrorCode.Corrupt => new InvalidDataException($"The SQLite database '{FullPath}' is damaged: {FirstLine(ex.Message)}", ex),
        _ => new IOException($"Reading '{FullPath}' failed: {FirstLine(ex.Message)}", ex),
    };

    // The provider's message repeats SQLite's on a second line; one line reads better in an exception message.
    static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd();
}
