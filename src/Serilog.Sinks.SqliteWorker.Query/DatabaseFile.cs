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

    // Every contract column, since the queries select them all.
    static readonly string[] RequiredLogColumns = [.. LogColumns.All.Select(c => c.Name)];

    static readonly string[] RequiredMetricColumns = [.. MetricColumns.All.Select(c => c.Name)];

    readonly string _connectionString;
    readonly string _writerConnectionString;

    DatabaseFile(string description, string? filePath, string? memoryUri, string readerSource, string writerSource, bool isUri)
    {
        Description = description;
        FilePath = filePath;
        MemoryUri = memoryUri;
        _connectionString = ConnectionString(readerSource, isUri, readOnly: true, BusyTimeoutMilliseconds);
        _writerConnectionString = ConnectionString(writerSource, isUri, readOnly: false, WriterBusyTimeoutMilliseconds);
    }

    /// <summary>How messages name the database: the path or URI as the caller gave it, and the full path when it differs.</summary>
    public string Description { get; }

    /// <summary>The full path of the database file, or null for a shared in-memory database.</summary>
    public string? FilePath { get; }

    /// <summary>The URI of a shared in-memory database, as given, or null for a file.</summary>
    public string? MemoryUri { get; }

    /// <summary>
    /// Resolves what the sink was given: a file path, a <c>file:</c> URI naming a file, or the URI of a shared in-memory
    /// database (<c>file:name?mode=memory&amp;cache=shared</c>) that a connection in this process keeps open.
    /// </summary>
    public static DatabaseFile Resolve(string databasePath)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
            throw new ArgumentException("The database path is empty. Give the file the sink writes, such as \"logs.db\".", nameof(databasePath));
        if (databasePath == ":memory:")
            throw new ArgumentException(
                "':memory:' is a private in-memory database: only the sink's own connection can see it. Log to a shared one, " +
                "such as \"file:logs?mode=memory&cache=shared\", keep a connection to it open, and open that URI here.",
                nameof(databasePath));

        if (SqliteUri.IsUri(databasePath))
        {
            var uri = SqliteUri.Parse(databasePath, nameof(databasePath));
            if (uri.FilePath is not { } uriFile)
                return new DatabaseFile($"'{databasePath}'", null, databasePath, databasePath, databasePath, isUri: true);

            // Read-only and read-write without create: a URI's own mode=rwc would otherwise let SQLite make a new file.
            var described = $"'{databasePath}' ('{uriFile}')";
            RequireFile(uriFile, described);
            return new DatabaseFile(described, uriFile, null, uri.WithMode("ro"), uri.WithMode("rw"), isUri: true);
        }

        var fullPath = UserPath.ToFull(databasePath, "database path", nameof(databasePath));
        var description = databasePath == fullPath ? $"'{fullPath}'" : $"'{databasePath}' ('{fullPath}')";
        RequireFile(fullPath, description);
        return new DatabaseFile(description, fullPath, null, fullPath, fullPath, isUri: false);
    }

    // Checked here as well as by FailIfMissing, whose message does not name the file.
    static void RequireFile(string fullPath, string description)
    {
        if (!File.Exists(fullPath))
            throw new FileNotFoundException(
                $"There is no database file at {description}. Check the path given to WriteTo.SqliteWorker(); the sink " +
                "creates the file when it writes its first batch.", fullPath);
    }

    static string ConnectionString(string source, bool isUri, bool readOnly, int busyTimeout)
    {
        var builder = new SQLiteConnectionStringBuilder
        {
            ReadOnly = readOnly,
            FailIfMissing = true,
            BusyTimeout = busyTimeout,
            Pooling = false,
        };
        if (isUri)
            builder.FullUri = source;
        else
            builder.DataSource = source;
        return builder.ConnectionString;
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
            if (logs.Count == 0 && metrics.Count == 0 && MemoryUri != null && IsEmpty(connection))
                throw new FileNotFoundException(
                    $"No connection in this process holds the shared in-memory database {Description}, so it is empty. It " +
                    "lives only while a connection to it is open: open one before the logger and keep it open while reading, " +
                    "since the sink's own closes when the logger is disposed.");
            if (logs.Count == 0 && metrics.Count == 0)
                throw new InvalidDataException(
                    $"{Description} is a SQLite database, but has no \"{logsTable}\" or \"{metricsTable}\" table, so it was " +
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
                $"{Description} has no \"{table}\" table. The sink creates its logs and metrics tables together; check the " +
                "table names given here against those given to the sink.");

        var missing = required.Where(c => !columns.Contains(c)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException(
                $"The table \"{table}\" in {Description} has no column {string.Join(", ", missing.Select(m => $"\"{m}\""))}, " +
                "so it was not written by Serilog.Sinks.SqliteWorker.");
    }

    static bool IsEmpty(SQLiteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_schema";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
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
            $"{Description} is not a SQLite database (SQLite says: {FirstLine(ex.Message)}). Give the file the sink writes.", ex),
        SQLiteErrorCode.Corrupt => new InvalidDataException($"The SQLite database {Description} is damaged: {FirstLine(ex.Message)}", ex),
        _ => new IOException($"Reading {Description} failed: {FirstLine(ex.Message)}", ex),
    };

    // The provider's message repeats SQLite's on a second line; one line reads better in an exception message.
    static string FirstLine(string message) => message.Split('\n', 2)[0].TrimEnd();
}
