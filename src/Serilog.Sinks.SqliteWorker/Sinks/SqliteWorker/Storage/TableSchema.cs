using System.Text;

namespace Serilog.Sinks.SqliteWorker;

/// <param name="Name">A validated column name.</param>
/// <param name="Type">The column's SQLite type and constraints, as written in <c>CREATE TABLE</c>.</param>
/// <param name="Required">
/// A table that lacks this column was not made by this sink, and is refused rather than altered. Columns that are not
/// required are added to an existing table that lacks them, which is how later versions migrate a file.
/// </param>
sealed record ColumnDefinition(string Name, string Type, bool Required);

/// <param name="Name">The index's name: <c>ix_{table}_{columns}</c> for the sink's own indexes, <c>cx_{table}_{column}</c>
/// for a custom column's, so that no custom column can take the name of one of the sink's own (such as a column
/// <c>level_timestamp</c>, whose index would otherwise be <c>ix_logs_level_timestamp</c>).</param>
/// <param name="Columns">The indexed columns, in order.</param>
/// <param name="CreateSql">The <c>CREATE INDEX</c> statement.</param>
sealed record TableIndex(string Name, IReadOnlyList<string> Columns, string CreateSql);

/// <summary>
/// One table of the sink's schema and the statements built from it. Every identifier here was validated by
/// <see cref="SqlIdentifier"/>; the statements are built once, when the sink is created.
/// </summary>
sealed class TableSchema
{
    readonly string _quotedName;

    /// <param name="name">The table's name.</param>
    /// <param name="columns">Its columns, after <see cref="SchemaColumn.Id"/>.</param>
    /// <param name="indexes">Each index's name prefix (<c>ix</c> or <c>cx</c>) and columns.</param>
    public TableSchema(string name, IReadOnlyList<ColumnDefinition> columns, IReadOnlyList<(string Prefix, string[] Columns)> indexes)
    {
        Name = name;
        Columns = columns;

        var quoted = SqlIdentifier.Quote(name);
        CreateTableSql = $"CREATE TABLE IF NOT EXISTS {quoted} ({SchemaColumn.Id} INTEGER PRIMARY KEY, " +
                         string.Join(", ", columns.Select(c => $"{SqlIdentifier.Quote(c.Name)} {c.Type}")) + ")";
        Indexes = indexes
            .Select(ix => (Name: $"{ix.Prefix}_{name}_{string.Join("_", ix.Columns)}", ix.Columns))
            .Select(ix => new TableIndex(ix.Name, ix.Columns,
                $"CREATE INDEX IF NOT EXISTS {SqlIdentifier.Quote(ix.Name)} ON {quoted} ({string.Join(", ", ix.Columns.Select(SqlIdentifier.Quote))})"))
            .ToArray();
        TableInfoSql = $"PRAGMA table_info({quoted})";
        _quotedName = quoted;
    }

    public string Name { get; }
    public IReadOnlyList<ColumnDefinition> Columns { get; }
    public string CreateTableSql { get; }
    public IReadOnlyList<TableIndex> Indexes { get; }
    public string TableInfoSql { get; }

    /// <summary>
    /// An insert of <paramref name="rows"/> rows in one statement, whose parameters are <c>@p0</c>, <c>@p1</c>, ...: row
    /// after row, each in the order of <see cref="Columns"/>.
    /// </summary>
    public string InsertSql(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO {_quotedName} (");
        sql.AppendJoin(", ", Columns.Select(c => SqlIdentifier.Quote(c.Name)));
        sql.Append(") VALUES ");
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            sql.AppendJoin(", ", Enumerable.Range(row * Columns.Count, Columns.Count).Select(p => $"@p{p}"));
            sql.Append(')');
        }

        return sql.ToString();
    }

    public string AddColumnSql(ColumnDefinition column) =>
        // SQLite cannot add a NOT NULL column without a default; only optional columns are ever added.
        $"ALTER TABLE {SqlIdentifier.Quote(Name)} ADD COLUMN {SqlIdentifier.Quote(column.Name)} {column.Type}";
}

/// <summary>The sink's default schema: the public contract documented in docs/schema.md, built from <see cref="LogColumns"/> and <see cref="MetricColumns"/>.</summary>
static class SinkSchema
{
    /// <summary>Stored in <c>PRAGMA user_version</c>. Later versions migrate by adding, never dropping.</summary>
    public const int Version = 1;

    /// <summary>The logs table's own columns, which custom columns may not take the names of.</summary>
    public static readonly IReadOnlySet<string> LogColumnNames = new HashSet<string>(
        [SchemaColumn.Id, .. LogColumns.All.Select(c => c.Name)], StringComparer.OrdinalIgnoreCase);

    // Custom columns follow the default ones, in their order, which is the order of values in LogRowWriter.
    public static TableSchema Logs(string tableName, IReadOnlyList<PropertyColumn> customColumns) => new(
        tableName,
        [.. LogColumns.All.Select(Definition), .. customColumns.Select(c => c.Definition)],
        [
            ("ix", [LogColumns.Timestamp]),
            ("ix", [LogColumns.Level, LogColumns.Timestamp]),
            .. customColumns.Where(c => c.Indexed).Select(c => ("cx", new[] { c.ColumnName })),
        ]);

    public static TableSchema Metrics(string tableName) => new(
        tableName,
        [.. MetricColumns.All.Select(Definition)],
        [("ix", [MetricColumns.Name, MetricColumns.Timestamp])]);

    // Only a NOT NULL column is required: any other can be added to a table that lacks it.
    static ColumnDefinition Definition(SchemaColumn column) => new(column.Name, column.SqlType, Required: column.NotNull);
}
