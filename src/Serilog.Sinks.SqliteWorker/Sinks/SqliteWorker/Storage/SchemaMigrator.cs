using System.Data.SQLite;
using System.Globalization;

namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// Creates the sink's tables on first use and brings an existing file up to date by adding what is missing. It never
/// drops or rewrites anything. A file it cannot use is refused before the sink writes anything to it, even the switch
/// to WAL (<see cref="CheckCompatible"/>): a name of the sink's tables taken by a view, a virtual table or an index, a
/// table without one of the sink's required columns, or a schema version newer than this release writes.
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
        command.SetSql("PRAGMA page_count");
        var isNew = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0;

        if (isNew && incrementalAutoVacuum)
            Execute(command, "PRAGMA auto_vacuum = INCREMENTAL");
    }

    /// <summary>
    /// Creates what is missing of the tables and their indexes, and records the schema version, in one transaction;
    /// refuses the file as <see cref="CheckCompatible"/> does.
    /// </summary>
    public static void Apply(SQLiteConnection connection, string databaseDescription, params TableSchema[] tables)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        // Checked again inside the transaction: another program may have changed the file since, and what these reads
        // find holds until the commit, which fails if the file changed in between.
        var version = CheckVersion(command, databaseDescription);
        foreach (var table in tables)
        {
            var existing = CheckTable(command, table, databaseDescription);
            if (existing == null)
            {
                Execute(command, table.CreateTableSql);
            }
            else
            {
                foreach (var column in table.Columns.Where(c => !existing.Contains(c.Name)))
                    Execute(command, table.AddColumnSql(column));
            }

            // An index on the same columns under another name, such as one an earlier release made, serves as well.
            var indexed = IndexedColumnLists(command, table);
            foreach (var index in table.Indexes.Where(ix => !indexed.Contains(ColumnList(ix.Columns))))
                Execute(command, index.CreateSql);
        }

        if (version < SinkSchema.Version)
            Execute(command, $"PRAGMA user_version = {SinkSchema.Version}");

        transaction.Commit();
    }

    /// <summary>
    /// Refuses, reading only, a file the sink cannot use: it runs before the sink changes anything in a file that may
    /// not be its own, even the journal mode, so that a refused file is left byte for byte as it was.
    /// </summary>
    /// <exception cref="IncompatibleSchemaException">The file is not one the sink can write to; the message says why and what to do.</exception>
    public static void CheckCompatible(SQLiteConnection connection, string databaseDescription, params TableSchema[] tables)
    {
        using var command = connection.CreateCommand();
        CheckVersion(command, databaseDescription);
        foreach (var table in tables)
            CheckTable(command, table, databaseDescription);
    }

    /// <summary>
    /// The file's schema version, <c>PRAGMA user_version</c>: 0 for a new file or one from before versions were kept.
    /// A newer version than this release writes is refused: that release may rely on what this one would not write.
    /// </summary>
    static long CheckVersion(SQLiteCommand command, string databaseDescription)
    {
        command.SetSql("PRAGMA user_version");
        var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SinkSchema.Version)
            throw new IncompatibleSchemaException(
                $"its schema version (PRAGMA user_version) is {version}, and this release of Serilog.Sinks.SqliteWorker " +
                $"writes version {SinkSchema.Version}, so a later release made the file, and it is left as it is. Update the " +
                "Serilog.Sinks.SqliteWorker package to that release or later, or configure another database file (a file " +
                "of the sink's own if another program keeps its version in this one).");
        return version;
    }

    /// <summary>
    /// The columns of the table of this name, or null when the file has no table, view or index of that name; refuses
    /// a name that is not a table the sink could have made.
    /// </summary>
    static HashSet<string>? CheckTable(SQLiteCommand command, TableSchema table, string databaseDescription)
    {
        // Tables, views and indexes share one namespace, in which names are compared without case.
        command.SetSql("SELECT type, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_master " +
                       "WHERE name = @name COLLATE NOCASE AND type IN ('table', 'view', 'index')");
        command.Parameters.AddWithValue("@name", table.Name);
        string? type;
        bool isVirtual;
        using (var reader = command.ExecuteReader())
        {
            var found = reader.Read();
            type = found ? reader.GetString(0) : null;
            isVirtual = found && !reader.IsDBNull(1) && reader.GetInt64(1) == 1;
        }

        var notATable = type switch
        {
            null => null,
            "view" => "a view",
            "index" => "an index",
            _ when isVirtual => "a virtual table",
            _ => null,
        };
        if (notATable != null)
            throw new IncompatibleSchemaException(
                $"\"{table.Name}\" in {databaseDescription} is {notATable}, not a table made by Serilog.Sinks.SqliteWorker, " +
                $"so the file is left as it is. {ConfigureOtherNames}");
        if (type == null)
            return null;

        var existing = ReadColumnNames(command, table);
        // Retention and the readers find rows by id, so a table without it was not made by the sink either.
        if (table.Columns.Where(c => c.Required).Select(c => c.Name).Append(SchemaColumn.Id).FirstOrDefault(c => !existing.Contains(c)) is { } missing)
            throw new IncompatibleSchemaException(
                $"The table \"{table.Name}\" in {databaseDescription} has no column \"{missing}\", so it " +
                $"was not made by Serilog.Sinks.SqliteWorker and is left as it is. {ConfigureOtherNames}");
        return existing;
    }

    const string ConfigureOtherNames = "Configure other table names (logsTableName, metricsTableName) or another database file.";

    static HashSet<string> ReadColumnNames(SQLiteCommand command, TableSchema table)
    {
        command.SetSql(table.TableInfoSql);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var reader = command.ExecuteReader();
        while (reader.Read())
            names.Add(reader.GetString(1));
        return names;
    }

    /// <summary>
    /// The column lists of the table's indexes that serve queries on those columns as one of the sink's would: not
    /// partial, on plain columns (not expressions), in the default collation.
    /// </summary>
    static HashSet<string> IndexedColumnLists(SQLiteCommand command, TableSchema table)
    {
        command.SetSql("SELECT il.name, ix.name, ix.coll FROM pragma_index_list(@table) AS il, pragma_index_xinfo(il.name) AS ix " +
                       "WHERE il.partial = 0 AND ix.key = 1 ORDER BY il.name, ix.seqno");
        command.Parameters.AddWithValue("@table", table.Name);
        var columns = new Dictionary<string, List<string>?>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var index = reader.GetString(0);
                if (!columns.TryGetValue(index, out var list))
                    columns[index] = list = [];
                if (list == null)
                    continue;
                if (reader.IsDBNull(1) || !string.Equals(reader.GetString(2), "BINARY", StringComparison.OrdinalIgnoreCase))
                    columns[index] = null;
                else
                    list.Add(reader.GetString(1));
            }
        }

        return columns.Values.OfType<List<string>>().Select(ColumnList).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    static string ColumnList(IEnumerable<string> columns) => string.Join(",", columns);

    static void Execute(SQLiteCommand command, string sql)
    {
        command.SetSql(sql);
        command.ExecuteNonQuery();
    }
}
