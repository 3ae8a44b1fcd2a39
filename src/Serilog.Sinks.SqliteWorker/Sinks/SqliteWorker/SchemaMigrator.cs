using System.Data.SQLite;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Creates the sink's tables on first use and brings an existing file up to date by adding what is missing. It never
/// drops or rewrites anything, and refuses a table of the same name that this sink did not make.
/// </summary>
static class SchemaMigrator
{
    /// <summary>
    /// Makes the settings that only a new file can take: a file with no pages yet. It must run before anything writes
    /// the first page, even the switch to WAL; a file that already has pages, even without tables, keeps its own.
    /// </summary>
    /// <param name="connection">An open connection that has only read from the file so far.</param>
    /// <param name="incrementalAutoVacuum">Whether the file is made able to give freed pages back to the disk
    /// (<c>PRAGMA incremental_vacuum</c>), which the size limit uses.</param>
    public static void PrepareNewFile(SQLiteConnection connection, bool incrementalAutoVacuum)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_count";
        var isNew = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;

        if (isNew && incrementalAutoVacuum)
            Execute(command, "PRAGMA auto_vacuum = INCREMENTAL");
    }

    public static void Apply(SQLiteConnection connection, string databaseDescription, params TableSchema[] tables)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();

        foreach (var table in tables)
        {
            var existing = ReadColumnNames(command, table);
            if (existing.Count == 0)
            {
                Execute(command, table.CreateTableSql);
            }
            else
            {
                ThrowIfNotOurs(table, existing, databaseDescription);
                foreach (var column in table.Columns.Where(c => !existing.Contains(c.Name)))
                    Execute(command, table.AddColumnSql(column));
            }

            foreach (var createIndex in table.CreateIndexSql)
                Execute(command, createIndex);
        }

        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        // A file from a newer version keeps its number: this version has just checked the columns it needs.
        if (version < SinkSchema.Version)
            Execute(command, $"PRAGMA user_version = {SinkSchema.Version}");

        transaction.Commit();
    }

    /// <summary>
    /// Refuses a file whose tables of the configured names were not made by this sink, reading only: it runs before
    /// the sink changes anything in a file that may not be its own (even the journal mode).
    /// </summary>
    public static void CheckCompatible(SQLiteConnection connection, string databaseDescription, params TableSchema[] tables)
    {
        using var command = connection.CreateCommand();
        foreach (var table in tables)
        {
            var existing = ReadColumnNames(command, table);
            if (existing.Count > 0)
                ThrowIfNotOurs(table, existing, databaseDescription);
        }
    }

    static void ThrowIfNotOurs(TableSchema table, HashSet<string> existing, string databaseDescription)
    {
        if (table.Columns.FirstOrDefault(c => c.Required && !existing.Contains(c.Name)) is { } missing)
            throw new IncompatibleSchemaException(
                $"The table \"{table.Name}\" in {databaseDescription} has no column \"{missing.Name}\", so it " +
                "was not made by Serilog.Sinks.SqliteWorker and is left as it is. Configure other table names " +
                "or another database file.");
    }

    static HashSet<string> ReadColumnNames(SQLiteCommand command, TableSchema table)
    {
        command.CommandText = table.TableInfoSql;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            names.Add(reader.GetString(1));
        return names;
    }

    static void Execute(SQLiteCommand command, string sql)
    {
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
