namespace Serilog.Sinks.SqliteWorker;

/// <summary>
/// A property promoted to a column of its own in the logs table, where it can be typed and indexed. Configure it in
/// code or in <c>appsettings.json</c>, for example
/// <c>{ "PropertyPath": "Order.Customer.Id", "ColumnName": "customer_id", "Type": "Integer", "Indexed": true }</c>.
/// </summary>
public sealed class SqliteWorkerColumn
{
    /// <summary>
    /// The property whose value fills the column: a property name such as <c>Hostname</c>, or a path into a
    /// destructured object or dictionary such as <c>Order.Customer.Id</c>.
    /// </summary>
    public string PropertyPath { get; set; } = "";

    /// <summary>The column's name: letters, digits and underscores, not one of the schema's own columns.</summary>
    public string ColumnName { get; set; } = "";

    /// <summary>The column's SQLite type. The default is <see cref="SqliteColumnType.Text"/>.</summary>
    public SqliteColumnType Type { get; set; } = SqliteColumnType.Text;

    /// <summary>
    /// Whether the column gets an index of its own, <c>cx_{table}_{column}</c> (a prefix of its own, so that it never takes
    /// the name of one of the sink's <c>ix_</c> indexes). A file whose table already has an index on the column keeps that one.
    /// </summary>
    public bool Indexed { get; set; }
}

/// <summary>The SQLite type of a <see cref="SqliteWorkerColumn"/>.</summary>
public enum SqliteColumnType
{
    /// <summary>Text: strings as they are, other values as their invariant text or, for structures, their JSON.</summary>
    Text,

    /// <summary>A 64-bit integer. Whole numbers, booleans (1 or 0) and numeric text convert; anything else is stored as NULL.</summary>
    Integer,

    /// <summary>A floating-point number. Finite numbers and numeric text convert; anything else is stored as NULL.</summary>
    Real,
}
