using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>Where the database lives, resolved once when the sink is configured.</summary>
sealed class DatabaseLocation
{
    const string MemoryPath = ":memory:";

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

    /// <summary>The full path of the database file, a <c>file:</c> URI's included, or null for in-memory databases.</summary>
    public string? FilePath { get; }

    public static DatabaseLocation Resolve(string databasePath)
    {
        if (string.IsNullOrWhiteSpace(databasePath))
            throw new ArgumentException(
                "The database path is empty. Give a file path such as \"logs.db\", or \":memory:\" for a private in-memory database.",
                nameof(databasePath));

        if (databasePath == MemoryPath)
            return new DatabaseLocation(Connect(new SQLiteConnectionStringBuilder { DataSource = MemoryPath }),
                "the private in-memory database", directory: null);

        if (SqliteUri.IsUri(databasePath))
            return new DatabaseLocation(Connect(new SQLiteConnectionStringBuilder { FullUri = databasePath }),
                $"'{databasePath}'", directory: null, SqliteUri.Parse(databasePath, nameof(databasePath)).FilePath);

        var fullPath = UserPath.ToFull(databasePath, "database path", nameof(databasePath));

        if (fullPath.EndsWith(Path.DirectorySeparatorChar) || fullPath.EndsWith(Path.AltDirectorySeparatorChar))
            throw new ArgumentException(
                $"The database path '{databasePath}' names a folder. Add a file name, such as \"{Path.Combine(databasePath, "logs.db")}\".",
                nameof(databasePath));

        RefuseWhatCannotHoldADatabase(databasePath, fullPath);

        return new DatabaseLocation(Connect(new SQLiteConnectionStringBuilder { DataSource = fullPath }),
            $"'{fullPath}'", Path.GetDirectoryName(fullPath), fullPath);
    }

    // System.Data.SQLite steps a statement that finds the file locked again and again, for up to its command timeout (30 s
    // by default), each step waiting SQLite's busy timeout: a lock would hold a batch far longer than busyTimeout says. With
    // no command timeout, the one wait is SQLite's own, and the writer's backoff does the retrying.
    static string Connect(SQLiteConnectionStringBuilder builder)
    {
        builder.DefaultTimeout = 0;
        return builder.ConnectionString;
    }

    /// <summary>
    /// Throws when the path names something that can never be a database file: a directory, a device, pipe or socket, or
    /// a path through a file. Anything that can change while the application runs is left to the writer to report.
    /// </summary>
    static void RefuseWhatCannotHoldADatabase(string databasePath, string fullPath)
    {
        switch (DiskEntry.At(fullPath).Kind)
        {
            case DiskEntryKind.Directory:
                throw new ArgumentException(
                    $"The database path '{databasePath}' names a directory. Name a file in it, such as \"{Path.Combine(databasePath, "logs.db")}\".",
                    nameof(databasePath));
            case DiskEntryKind.Special:
                throw new ArgumentException(
                    $"The database path '{databasePath}' names a device, pipe or socket, not a file, and SQLite can only keep a " +
                    "database in a file. Give a file path such as \"logs.db\"; to log nowhere, leave the sink out of the configuration.",
                    nameof(databasePath));
            case DiskEntryKind.Missing:
                for (var folder = Path.GetDirectoryName(fullPath); folder != null; folder = Path.GetDirectoryName(folder))
                {
                    var kind = DiskEntry.At(folder).Kind;
                    if (kind == DiskEntryKind.Directory)
                        return;
                    if (kind != DiskEntryKind.Missing)
                        throw new ArgumentException(
                            $"The database path '{databasePath}' goes through '{folder}', which is a file, not a folder. Give a " +
                            $"path in a folder, such as \"{Path.Combine(Path.GetDirectoryName(folder) ?? "", "logs.db")}\".",
                            nameof(databasePath));
                }

                return;
        }
    }
}
