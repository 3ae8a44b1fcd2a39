using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Where the database lives, resolved once when the sink is configured.</summary>
sealed class DatabaseLocation
{
    const string MemoryPath = ":memory:";
    const string UriScheme = "file:";

    DatabaseLocation(string connectionString, string description, string? directory, string? filePath = null)
    {
        ConnectionString = connectionString;
        Description = description;
        Directory = directory;
        FilePath = filePath;
    }

    public string ConnectionString { get; }

    /// <summary>How messages name the database, such as <c>'/var/log/app/logs.db'</c>.</summary>
    public string Description { get; }

    /// <summary>The folder to create before the file is opened, or null for in-memory and URI databases.</summary>
    public string? Directory { get; }

    /// <summary>The full path of the database file, or null for in-memory and URI databases.</summary>
    public string? FilePath { get; }

    public static DatabaseLocation Resolve(string databasePath)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
            throw new ArgumentException(
                "The database path is empty. Give a file path such as \"logs.db\", or \":memory:\" for a private in-memory database.",
                nameof(databasePath));

        if (databasePath == MemoryPath)
            return new DatabaseLocation(ConnectionStringFor(new SQLiteConnectionStringBuilder { DataSource = MemoryPath }),
                "the private in-memory database", directory: null);

        if (databasePath.StartsWith(UriScheme, StringComparison.OrdinalIgnoreCase))
            return new DatabaseLocation(new SQLiteConnectionStringBuilder { FullUri = databasePath }.ConnectionString,
                $"'{databasePath}'", directory: null);

        var fullPath = UserPath.ToFull(databasePath, "database path", nameof(databasePath));

        if (fullPath.EndsWith(Path.DirectorySeparatorChar) || fullPath.EndsWith(Path.AltDirectorySeparatorChar))
            throw new ArgumentException(
                $"The database path '{databasePath}' names a folder. Add a file name, such as \"{Path.Combine(databasePath, "logs.db")}\".",
                nameof(databasePath));

        return new DatabaseLocation(ConnectionStringFor(new SQLiteConnectionStringBuilder { DataSource = fullPath }),
            $"'{fullPath}'", Path.GetDirectoryName(fullPath), fullPath);
    }

    // UTF-16 on the connection lets System.Data.SQLite hand each string to SQLite as it is, pinned, where its UTF-8
    // path allocates a copy of every text value bound; SQLite converts to the file's encoding, UTF-8 (see
    // SqliteWorkerSink.Open), in its own buffers. Not for URIs: System.Data.SQLite opens a UTF-16 connection with
    // sqlite3_open16, which reads a URI as a plain file name.
    static string ConnectionStringFor(SQLiteConnectionStringBuilder builder)
    {
        builder.UseUTF16Encoding = true;
        return builder.ConnectionString;
    }
}
