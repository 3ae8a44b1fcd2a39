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
            return new DatabaseLocation(new SQLiteConnectionStringBuilder { DataSource = MemoryPath }.ConnectionString,
                "the private in-memory database", directory: null);

        if (SqliteUri.IsUri(databasePath))
            return new DatabaseLocation(new SQLiteConnectionStringBuilder { FullUri = databasePath }.ConnectionString,
                $"'{databasePath}'", directory: null, SqliteUri.Parse(databasePath, nameof(databasePath)).FilePath);

        var fullPath = UserPath.ToFull(databasePath, "database path", nameof(databasePath));

        if (fullPath.EndsWith(Path.DirectorySeparatorChar) || fullPath.EndsWith(Path.AltDirectorySeparatorChar))
            throw new ArgumentException(
                $"The database path '{databasePath}' names a folder. Add a file name, such as \"{Path.Combine(databasePath, "logs.db")}\".",
                nameof(databasePath));

        return new DatabaseLocation(new SQLiteConnectionStringBuilder { DataSource = fullPath }.ConnectionString,
            $"'{fullPath}'", Path.GetDirectoryName(fullPath), fullPath);
    }
}
