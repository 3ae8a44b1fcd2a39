namespace Serilog.Sinks.SqliteWorker;

/// <summary>What a column holds: it decides the column's SQLite type and how a reader turns a value back into data.</summary>
enum ColumnKind
{
    Text,
    Integer,
    Real,
    Timestamp,
    Json,
}

/// <summary>
/// One of the columns the sink always creates, as the documented SQL contract names it. <see cref="LogColumns"/> and
/// <see cref="MetricColumns"/> list them; they are compiled into the sink and the query helper, so that the table one
/// writes and the columns the other reads cannot disagree.
/// </summary>
/// <param name="Name">The column's name.</param>
/// <param name="Kind">What the column holds.</param>
/// <param name="NotNull">
/// Whether every row has a value. SQLite cannot add a NOT NULL column to a table without a default, so a table that
/// lacks one of these was not made by the sink; the others are added to a table that lacks them.
/// </param>
sealed record SchemaColumn(string Name, ColumnKind Kind, bool NotNull)
{
    /// <summary>The rowid, <c>INTEGER PRIMARY KEY</c>, before the columns of both tables.</summary>
    public const string Id = "id";

    /// <summary>The column's type and constraint, as written in <c>CREATE TABLE</c>.</summary>
    public string SqlType => (Kind switch
    {
        ColumnKind.Integer => "INTEGER",
        ColumnKind.Real => "REAL",
        _ => "TEXT",
    }) + (NotNull ? " NOT NULL" : "");
}
